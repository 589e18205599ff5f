#include "bt/cli.h"
#include "bt/util.h"
static int run(int argc, char **argv, const char *dbpath)
{
	(void)argc; (void)argv; (void)dbpath;
	return error("not implemented yet");
}
const struct bt_command cmd_top_speeches = { .name = "top-speeches", .summary = "todo", .usage = "usage: bt top-speeches\n", .run = run };
