/* bt: who claps for whom in the Bundestag. Global options, then dispatch to one command. */
#include "bt/cli.h"
#include "bt/util.h"
#include <signal.h>
#include <stdio.h>
#include <string.h>

static void main_usage(FILE *out)
{
	fputs("usage: bt [--db PATH] <command> [options]\n\n"
	      "Downloads the Bundestag's plenary protocols into one SQLite database and counts\n"
	      "who applauds whom.\n\ncommands:\n",
	      out);
	for (int i = 0; bt_commands[i]; i++)
		fprintf(out, "  %-13s %s\n", bt_commands[i]->name, bt_commands[i]->summary);
	fputs("\nglobal options:\n"
	      "  --db PATH     the database file (default: $BT_DB, else ./bt.db)\n"
	      "  --version     print the version\n"
	      "  -h, --help    this help; 'bt <command> --help' for a command\n",
	      out);
}

int main(int argc, char **argv)
{
	const char *dbpath = NULL;
	int i = 1;
	signal(SIGPIPE, SIG_IGN); /* a closed pipe becomes a write error we report, not a silent death */
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--db") == 0) {
			if (i + 1 >= argc) {
				fputs("bt: option '--db' needs a PATH\n", stderr);
				return BT_USAGE;
			}
			dbpath = argv[++i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			dbpath = a + 5;
		} else if (strcmp(a, "--version") == 0) {
			printf("bt %s\n", BT_VERSION);
			return finish_stdout() < 0 ? BT_FAIL : BT_OK;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			main_usage(stdout);
			return finish_stdout() < 0 ? BT_FAIL : BT_OK;
		} else {
			fprintf(stderr, "bt: unknown option '%s'\n", a);
			main_usage(stderr);
			return BT_USAGE;
		}
	}
	if (i >= argc) {
		main_usage(stderr);
		return BT_USAGE;
	}
	const struct bt_command *c = find_command(argv[i]);
	if (!c) {
		fprintf(stderr, "bt: '%s' is not a bt command; run 'bt help' for the list\n", argv[i]);
		return BT_USAGE;
	}
	bt_cmdname = c->name;
	return c->run(argc - i, argv + i, dbpath);
}
