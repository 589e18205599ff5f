#include "bt/cli.h"
#include "bt/util.h"
static int run(int argc, char **argv, const char *dbpath)
{
	(void)argc; (void)argv; (void)dbpath;
	return error("not implemented yet");
}
const struct bt_command cmd_export = { .name = "export", .summary = "todo", .usage = "usage: bt export\n", .run = run };
