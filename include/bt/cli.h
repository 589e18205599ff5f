/* The command table: one file per command (src/cmd_*.c), each exporting one entry. */
#ifndef BT_CLI_H
#define BT_CLI_H
#include <getopt.h>

struct bt_command {
	const char *name;
	const char *summary; /* one line for 'bt help' */
	const char *usage;   /* the whole --help text */
	int (*run)(int argc, char **argv, const char *dbpath);
};

extern const struct bt_command cmd_import, cmd_stats, cmd_kommentar, cmd_applause, cmd_reactions,
	cmd_top_speeches, cmd_export, cmd_sync, cmd_help;
extern const struct bt_command *const bt_commands[];

const struct bt_command *find_command(const char *name);
/* Prints the usage to stdout (for --help) and returns 0. */
int print_usage(const struct bt_command *c);
/* Prints "bt: <cmd>: <msg>" and "run 'bt <cmd> --help' ..." and returns BT_USAGE. */
int usage_error(const struct bt_command *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The usage error for getopt's '?': an unknown option, or one missing its value. */
int option_error(const struct bt_command *c, char **argv);

/* getopt_long with GNU argument permutation, reset for each command; quiet on errors (we report). */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);

#endif
