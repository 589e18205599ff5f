/* bt kommentar: the reaction parser's window, for debugging and testing. */
#include "bt/cli.h"
#include "bt/output.h"
#include "bt/reaction.h"
#include "bt/strbuf.h"
#include "bt/util.h"
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: bt kommentar [--text TEXT] [--format csv|tsv|json|table]\n"
	"\n"
	"Parses kommentar texts, one per line from standard input (or the one given with --text),\n"
	"and prints one row per reaction: line,kind,scope,faction,person. 'line' is the 1-based\n"
	"input line. A text without a reaction prints no row. No database is needed.\n"
	"\n"
	"  kind     beifall zuruf heiterkeit lachen widerspruch zustimmung unruhe\n"
	"  scope    full (the faction as a whole), partial (some of its members),\n"
	"           individual (one named member)\n"
	"  faction  CDU/CSU SPD AfD FDP GRÜNE LINKE BSW fraktionslos, * for the whole house,\n"
	"           empty when none is named\n"
	"  person   the named member, without 'Abg.', office titles and brackets\n"
	"\n"
	"options:\n"
	"  -t, --text TEXT   parse TEXT instead of standard input\n"
	"  -f, --format F    csv (default), tsv, json or table\n"
	"  -h, --help        this help\n"
	"\n"
	"example:\n"
	"  bt kommentar --text '(Beifall bei der SPD sowie bei Abgeordneten der FDP)'\n";

#define FORMATS (OUTF(OUT_TABLE) | OUTF(OUT_CSV) | OUTF(OUT_TSV) | OUTF(OUT_JSON))

static void emit(struct out *o, int64_t line, const char *text, struct reaction_list *rl)
{
	reaction_parse(text, rl);
	for (size_t i = 0; i < rl->n; i++) {
		out_int(o, line);
		out_str(o, reaction_kind_name(rl->v[i].kind));
		out_str(o, reaction_scope_name(rl->v[i].scope));
		out_str(o, reaction_faction_label(rl->v[i].faction));
		out_str(o, rl->v[i].person);
		out_row_end(o);
	}
}

static int run(int argc, char **argv, const char *dbpath)
{
	(void)dbpath;
	static const struct option opts[] = {
		{ "text", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *text = NULL;
	enum out_format fmt = OUT_CSV;
	int c, rc;
	optind = 0;
	opterr = 0;
	while ((c = cli_getopt(argc, argv, "t:f:h", opts)) != -1) {
		switch (c) {
		case 't':
			text = optarg;
			break;
		case 'f':
			if ((rc = parse_format_arg(&cmd_kommentar, optarg, FORMATS, &fmt)))
				return rc;
			break;
		case 'h':
			return print_usage(&cmd_kommentar);
		default:
			return option_error(&cmd_kommentar, argv);
		}
	}
	if (optind < argc)
		return usage_error(&cmd_kommentar, "unexpected argument '%s' (give the text with --text)",
				   argv[optind]);
	static const char *const cols[] = { "line", "kind", "scope", "faction", "person" };
	struct out *o = out_new(fmt, stdout, cols, 5, 0);
	out_numeric(o, 0);
	struct reaction_list rl = { 0 };
	if (text) {
		emit(o, 1, text, &rl);
	} else {
		struct strbuf line = STRBUF_INIT;
		int64_t n = 0;
		int ch;
		for (;;) {
			sb_reset(&line);
			while ((ch = getchar()) != EOF && ch != '\n')
				sb_addc(&line, (char)ch);
			if (ch == EOF && line.len == 0)
				break;
			n++;
			emit(o, n, sb_str(&line), &rl);
			if (ch == EOF)
				break;
		}
		sb_free(&line);
		if (ferror(stdin)) {
			reaction_list_free(&rl);
			out_finish(o);
			return error("cannot read standard input");
		}
	}
	reaction_list_free(&rl);
	return out_finish(o) < 0 ? BT_FAIL : BT_OK;
}

const struct bt_command cmd_kommentar = {
	.name = "kommentar",
	.summary = "parse kommentar texts into reactions (CSV), for checking the parser",
	.usage = usage,
	.run = run,
};
