/* bt help [command] */
#include "bt/cli.h"
#include "bt/util.h"
#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv, const char *dbpath)
{
	(void)dbpath;
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))
		return print_usage(&cmd_help);
	if (argc >= 2) {
		const struct bt_command *c = find_command(argv[1]);
		if (!c) {
			error("'%s' is not a bt command", argv[1]);
			return BT_USAGE;
		}
		return print_usage(c);
	}
	fputs("usage: bt [--db PATH] <command> [options]\n\ncommands:\n", stdout);
	for (int i = 0; bt_commands[i]; i++)
		printf("  %-13s %s\n", bt_commands[i]->name, bt_commands[i]->summary);
	fputs("\nRun 'bt <command> --help' for a command's options.\n", stdout);
	return finish_stdout() < 0 ? BT_FAIL : BT_OK;
}

const struct bt_command cmd_help = {
	.name = "help",
	.summary = "list the commands, or show one command's help",
	.usage = "usage: bt help [COMMAND]\n",
	.run = run,
};
