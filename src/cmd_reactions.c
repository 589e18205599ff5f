#include "bt/cli.h"
#include "bt/util.h"
static int run(int argc, char **argv, const char *dbpath)
{
	(void)argc; (void)argv; (void)dbpath;
	return error("not implemented yet");
}
const struct bt_command cmd_reactions = { .name = "reactions", .summary = "todo", .usage = "usage: bt reactions\n", .run = run };
