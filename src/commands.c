/* The one command table, and helpers every command uses for its arguments. */
#include "bt/cli.h"
#include "bt/util.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const struct bt_command *const bt_commands[] = {
	&cmd_sync, &cmd_import, &cmd_applause, &cmd_reactions, &cmd_top_speeches,
	&cmd_export, &cmd_stats, &cmd_kommentar, &cmd_help, NULL,
};

const struct bt_command *find_command(const char *name)
{
	for (int i = 0; bt_commands[i]; i++)
		if (strcmp(bt_commands[i]->name, name) == 0)
			return bt_commands[i];
	return NULL;
}

int print_usage(const struct bt_command *c)
{
	fputs(c->usage, stdout);
	return finish_stdout() < 0 ? BT_FAIL : BT_OK;
}

int usage_error(const struct bt_command *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "bt: %s: %s\n", c->name, msg);
	fprintf(stderr, "Run 'bt %s --help' for usage.\n", c->name);
	return BT_USAGE;
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	return getopt_long(argc, argv, shortopts, longopts, NULL);
}

int option_error(const struct bt_command *c, char **argv)
{
	if (optopt && optopt < 256 && optopt != '?')
		return usage_error(c, "option '-%c' needs a value", optopt);
	if (optopt)
		return usage_error(c, "option '%s' needs a value", argv[optind - 1]);
	return usage_error(c, "unknown option '%s'", argv[optind - 1]);
}
