/* Session filters and the validation of the arguments the query commands share. */
#include "bt/filter.h"
#include "bt/faction.h"
#include "bt/reaction.h"
#include "bt/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int filter_option(struct filter *f, const struct bt_command *c, int opt, const char *arg)
{
	switch (opt) {
	case OPT_WP: {
		f->nwp = 0;
		const char *p = arg;
		while (*p) {
			char *end;
			long v = strtol(p, &end, 10);
			if (end == p || v < 1 || v > 99 || (*end && *end != ','))
				return usage_error(c, "bad --wp '%s': give Wahlperioden as numbers, e.g. --wp 19,20", arg);
			if (f->nwp < (int)(sizeof f->wp / sizeof *f->wp))
				f->wp[f->nwp++] = (int)v;
			p = *end ? end + 1 : end;
		}
		if (f->nwp == 0)
			return usage_error(c, "bad --wp '%s': give Wahlperioden as numbers, e.g. --wp 19,20", arg);
		return 0;
	}
	case OPT_FROM:
	case OPT_TO:
		if (!date_iso_valid(arg))
			return usage_error(c, "bad date '%s' for --%s: use YYYY-MM-DD, e.g. 2021-10-26", arg,
					   opt == OPT_FROM ? "from" : "to");
		snprintf(opt == OPT_FROM ? f->from : f->to, 11, "%s", arg);
		return 0;
	}
	return BT_USAGE;
}

int filter_check(const struct filter *f, const struct bt_command *c)
{
	if (f->from[0] && f->to[0] && strcmp(f->from, f->to) > 0)
		return usage_error(c, "--from %s is after --to %s", f->from, f->to);
	return 0;
}

void filter_sql(const struct filter *f, char *out, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	if (f->nwp) {
		o += (size_t)snprintf(out + o, n - o, " AND s.wahlperiode IN (");
		for (int i = 0; i < f->nwp && o < n; i++)
			o += (size_t)snprintf(out + o, n - o, "%s%d", i ? "," : "", f->wp[i]);
		if (o < n)
			o += (size_t)snprintf(out + o, n - o, ")");
	}
	/* dates were validated as YYYY-MM-DD, so they are safe to inline */
	if (f->from[0] && o < n)
		o += (size_t)snprintf(out + o, n - o, " AND s.date >= '%s'", f->from);
	if (f->to[0] && o < n)
		snprintf(out + o, n - o, " AND s.date <= '%s'", f->to);
}

void filter_describe(const struct filter *f, char *out, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	if (f->nwp) {
		o += (size_t)snprintf(out + o, n - o, "WP ");
		for (int i = 0; i < f->nwp && o < n; i++)
			o += (size_t)snprintf(out + o, n - o, "%s%d", i ? ", " : "", f->wp[i]);
	}
	if ((f->from[0] || f->to[0]) && o < n)
		o += (size_t)snprintf(out + o, n - o, "%s%s to %s", o ? ", " : "", f->from[0] ? f->from : "start",
				      f->to[0] ? f->to : "end");
	if (o == 0)
		snprintf(out, n, "all sessions");
}

int parse_faction_arg(const struct bt_command *c, const char *arg, int *faction)
{
	*faction = faction_from_arg(arg);
	if (!*faction)
		return usage_error(c, "unknown faction '%s' (choose from %s; Grüne, Linke, Union also work)", arg,
				   faction_choices());
	return 0;
}

int parse_kind_arg(const struct bt_command *c, const char *arg, int *kind)
{
	char low[32];
	size_t i = 0;
	for (; arg[i] && i + 1 < sizeof low; i++)
		low[i] = (char)((arg[i] >= 'A' && arg[i] <= 'Z') ? arg[i] + 32 : arg[i]);
	low[i] = '\0';
	*kind = reaction_kind_from_name(low);
	if (*kind < 0 && strcmp(low, "applaus") == 0)
		*kind = RK_BEIFALL;
	if (*kind < 0)
		return usage_error(c, "unknown kind '%s' (choose from beifall, zuruf, heiterkeit, lachen, "
				      "widerspruch, zustimmung, unruhe)",
				   arg);
	return 0;
}

int parse_scope_arg(const struct bt_command *c, const char *arg, int *scope)
{
	if (strcmp(arg, "all") == 0) {
		*scope = RS_COUNT;
		return 0;
	}
	*scope = reaction_scope_from_name(arg);
	if (*scope < 0)
		return usage_error(c, "unknown scope '%s' (choose from full, partial, individual, all)", arg);
	return 0;
}

int parse_count_arg(const struct bt_command *c, const char *opt, const char *arg, int *n)
{
	char *end;
	long v = strtol(arg, &end, 10);
	if (end == arg || *end || v < 1 || v > 1000000)
		return usage_error(c, "bad %s '%s': give a positive number", opt, arg);
	*n = (int)v;
	return 0;
}
