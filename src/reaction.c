/* The reaction grammar of DESIGN.md section 2.
 *
 * A kommentar is split into segments at dashes (" – ", "–Zuruf", "! - Gegenruf"). Each segment is
 * either a reaction led by a reaction word ("Lebhafter Beifall bei der SPD sowie bei Abgeordneten
 * der FDP", "Zuruf von der AfD: ...", "Heiterkeit und Beifall bei ..."), a named interjection
 * ("Max Muster [SPD]: ...", "Nancy Faeser, Bundesministerin: ..."), or a stage direction that
 * yields nothing. Everything after the first colon of a segment is the heckle's own words and is
 * never parsed; dashes inside those words do not start a new reaction unless what follows looks
 * like one. */
#include "bt/reaction.h"
#include "bt/faction.h"
#include "bt/hash64.h"
#include "bt/util.h"
#include <string.h>

static const char *const kind_names[RK_COUNT] = { "beifall", "zuruf", "heiterkeit", "lachen",
						  "widerspruch", "zustimmung", "unruhe" };
static const char *const scope_names[RS_COUNT] = { "full", "partial", "individual" };

const char *reaction_kind_name(int k) { return k >= 0 && k < RK_COUNT ? kind_names[k] : ""; }
const char *reaction_scope_name(int s) { return s >= 0 && s < RS_COUNT ? scope_names[s] : ""; }

int reaction_kind_from_name(const char *n)
{
	for (int i = 0; i < RK_COUNT; i++)
		if (strcmp(n, kind_names[i]) == 0)
			return i;
	return -1;
}

int reaction_scope_from_name(const char *n)
{
	for (int i = 0; i < RS_COUNT; i++)
		if (strcmp(n, scope_names[i]) == 0)
			return i;
	return -1;
}

const char *reaction_faction_label(int f) { return f == REACTION_HOUSE ? "*" : faction_label(f); }

void reaction_list_free(struct reaction_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

static void add_row(struct reaction_list *l, int kind, int scope, int faction, const char *person, size_t plen)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	struct reaction *r = &l->v[l->n++];
	r->kind = kind;
	r->scope = scope;
	r->faction = faction;
	if (plen >= sizeof r->person)
		plen = sizeof r->person - 1;
	memcpy(r->person, person ? person : "", person ? plen : 0);
	r->person[person ? plen : 0] = '\0';
}

/* ---- character helpers (UTF-8 text, German letters) ---- */

static int is_space(char c) { return c == ' '; } /* input is normalised: single ASCII spaces */

static int is_letter_at(const char *s)
{
	unsigned char c = (unsigned char)*s;
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Case fold of one character at s into a small integer; *len gets its byte length. ASCII and the
 * German umlauts fold; other UTF-8 sequences compare byte by byte. */
static unsigned fold(const char *s, size_t *len)
{
	unsigned char c = (unsigned char)s[0];
	if (c == 0xC3 && s[1]) {
		unsigned char d = (unsigned char)s[1];
		*len = 2;
		if (d == 0x84 || d == 0xA4)
			return 'a' | 0x100; /* Ä ä */
		if (d == 0x96 || d == 0xB6)
			return 'o' | 0x100; /* Ö ö */
		if (d == 0x9C || d == 0xBC)
			return 'u' | 0x100; /* Ü ü */
		return 0xC300u | d;
	}
	*len = 1;
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	return c;
}

/* Matches pat at s, case-insensitively; a space in pat matches any number of spaces (also none).
 * Word-final: the match must not be followed by a letter or digit. Returns the length in s or 0. */
static size_t match(const char *s, const char *pat)
{
	/* most calls fail on the first character: decide those without the folding loop */
	unsigned char a = (unsigned char)s[0], b = (unsigned char)pat[0];
	if (a < 0x80 && b < 0x80 && b != ' ' && (a | 0x20) != (b | 0x20))
		return 0;
	size_t i = 0, j = 0;
	while (pat[j]) {
		if (pat[j] == ' ') {
			while (is_space(s[i]))
				i++;
			j++;
			continue;
		}
		if (!s[i])
			return 0;
		size_t li, lj;
		if (fold(s + i, &li) != fold(pat + j, &lj))
			return 0;
		i += li;
		j += lj;
	}
	if (i > 0 && is_letter_at(s + i - 1) && is_letter_at(s + i))
		return 0;
	return i;
}

struct cur {
	const char *s; /* NUL-terminated segment head */
};

static void skip_ws(struct cur *c)
{
	while (is_space(*c->s))
		c->s++;
}

static int accept(struct cur *c, const char *pat)
{
	size_t n = match(c->s, pat);
	if (!n)
		return 0;
	c->s += n;
	skip_ws(c);
	return 1;
}

static int accept_any(struct cur *c, const char *const *pats)
{
	for (; *pats; pats++)
		if (accept(c, *pats))
			return 1;
	return 0;
}

/* ---- factions in running text ---- */

struct fpat {
	const char *pat;
	int faction;
};

/* Longer spellings first. */
static const struct fpat faction_pats[] = {
	{ "BÜNDNISSES 90 / DIE GRÜNEN", FACTION_GRUENE },
	{ "BÜNDNISSES 90 / GRÜNEN", FACTION_GRUENE },
	{ "BÜNDNIS 90 / DIE GRÜNEN", FACTION_GRUENE },
	{ "BÜNDNIS 90 / DIE GRÜNE", FACTION_GRUENE },
	{ "BÜNDNIS 90 / GRÜNEN", FACTION_GRUENE },
	{ "BÜNDNISSES 90", FACTION_GRUENE },
	{ "BÜNDNIS 90", FACTION_GRUENE },
	{ "BÜNDNISSES", FACTION_GRUENE },
	{ "BÜNDNIS", FACTION_GRUENE },
	{ "DIE GRÜNEN", FACTION_GRUENE },
	{ "GRÜNEN", FACTION_GRUENE },
	{ "GRÜNE", FACTION_GRUENE },
	{ "CDU / CSU", FACTION_CDU },
	{ "CSU / CDU", FACTION_CDU },
	{ "Union", FACTION_CDU },
	{ "SPD", FACTION_SPD },
	{ "AfD", FACTION_AFD },
	{ "FDP", FACTION_FDP },
	{ "DIE LINKEN", FACTION_LINKE },
	{ "DIE LINKE", FACTION_LINKE },
	{ "LINKEN", FACTION_LINKE },
	{ "LINKE", FACTION_LINKE },
	{ "BSW", FACTION_BSW },
	{ "fraktionslosen", FACTION_FRAKTIONSLOS },
	{ "fraktionslose", FACTION_FRAKTIONSLOS },
	{ "fraktionslos", FACTION_FRAKTIONSLOS },
	{ NULL, 0 },
};

/* A faction name at the cursor, with an optional "-Fraktion"/"-Gruppe" tail; 0 if none. */
static int accept_faction(struct cur *c)
{
	for (const struct fpat *f = faction_pats; f->pat; f++) {
		size_t n = match(c->s, f->pat);
		if (!n)
			continue;
		c->s += n;
		static const char *const tails[] = { "-Fraktion", "-Gruppe", "- Fraktion", NULL };
		for (int i = 0; tails[i]; i++) {
			size_t k = match(c->s, tails[i]);
			if (k) {
				c->s += k;
				break;
			}
		}
		skip_ws(c);
		return f->faction;
	}
	return 0;
}

/* A bracket's content is a faction only if that is all it says: [SPD], [Die Linke], [fraktionslos];
 * [Duisburg] is a constituency. */
static int bracket_faction(const char *s, size_t n)
{
	char buf[96];
	size_t o = 0;
	if (n >= sizeof buf)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_space(s[i]))
			buf[o++] = s[i]; /* "[BÜND NIS 90/DIE GRÜNEN]": spaces inside are typos */
	buf[o] = '\0';
	if (o == 0)
		return 0;
	struct cur c = { buf };
	accept(&c, "Gruppe");
	accept(&c, "Fraktion");
	int f = accept_faction(&c);
	return f && *c.s == '\0' ? f : 0;
}

/* ---- words ---- */

static const struct {
	const char *pat;
	int kind;
} kind_words[] = {
	{ "Beifall", RK_BEIFALL },	  { "Beifalls", RK_BEIFALL },	   { "Beifal", RK_BEIFALL },	{ "Befall", RK_BEIFALL },
	{ "Applaus", RK_BEIFALL },	  { "Zurufe", RK_ZURUF },	   { "Zuruf", RK_ZURUF },
	{ "Gegenrufe", RK_ZURUF },	  { "Gegenruf", RK_ZURUF },	   { "Zwischenrufe", RK_ZURUF },
	{ "Zwischenruf", RK_ZURUF },	  { "Heiterkeit", RK_HEITERKEIT }, { "Lachen", RK_LACHEN },
	{ "Gelächter", RK_LACHEN },	  { "Widerspruch", RK_WIDERSPRUCH }, { "Widersprüche", RK_WIDERSPRUCH },
	{ "Zustimmung", RK_ZUSTIMMUNG }, { "Unruhe", RK_UNRUHE },
	{ NULL, 0 },
};

static int accept_kind_word(struct cur *c)
{
	for (int i = 0; kind_words[i].pat; i++)
		if (accept(c, kind_words[i].pat))
			return kind_words[i].kind;
	return -1;
}

/* A reaction word, possibly after one or two qualifiers ("Lebhafter", "Lang anhaltender",
 * "Weiterer", "Vereinzelt"): any capitalised words directly followed by a reaction word. */
static int accept_kind(struct cur *c)
{
	int k = accept_kind_word(c);
	if (k >= 0)
		return k;
	struct cur t = *c;
	for (int words = 0; words < 2; words++) {
		const char *w = t.s;
		if (!(*w >= 'A' && *w <= 'Z') && !(*w >= 'a' && *w <= 'z'))
			return -1;
		while (is_letter_at(t.s) || *t.s == '-')
			t.s++;
		if (!is_space(*t.s))
			return -1;
		skip_ws(&t);
		k = accept_kind_word(&t);
		if (k >= 0) {
			*c = t;
			return k;
		}
	}
	return -1;
}

static const char *const articles[] = { "der", "dem", "des", "den", "die", NULL };

/* Offices in front of a name, nominative and genitive ("des Bundesministers Hubertus Heil"). */
static const char *const office_titles[] = {
	"Alterspräsidentin", "Alterspräsidenten", "Alterspräsident", "Vizepräsidentin", "Vizepräsidenten",
	"Vizepräsident", "Bundespräsidentin", "Bundespräsidenten", "Bundespräsident", "Präsidentin",
	"Präsidenten", "Präsident", "Bundeskanzlerin", "Bundeskanzlers", "Bundeskanzler", "Bundesministerin",
	"Bundesministers", "Bundesminister", "Staatsministerin", "Staatsministers", "Staatsminister",
	"Parl. Staatssekretärin", "Parl. Staatssekretärs", "Parl. Staatssekretär",
	"Parlamentarische Staatssekretärin", "Parlamentarischen Staatssekretärin",
	"Parlamentarischen Staatssekretärs", "Parlamentarischer Staatssekretär", "Staatssekretärin",
	"Staatssekretärs", "Staatssekretär", "Ministerpräsidentin", "Ministerpräsidenten", "Ministerpräsident",
	"Ministerin", "Ministers", "Minister", "Senatorin", "Senators", "Senator", "Bürgermeisterin",
	"Bürgermeisters", "Bürgermeister", "Wehrbeauftragten", "Wehrbeauftragte", "Wehrbeauftragter", NULL,
};

/* Whether an office title starts at s (nominative or genitive); accepts it when c is given.
 * Most words start with a letter no office starts with: those are decided at once. */
static int office_at(const char *s)
{
	switch (*s) {
	case 'A': case 'B': case 'M': case 'P': case 'S': case 'V': case 'W':
		break;
	default:
		return 0;
	}
	for (const char *const *o = office_titles; *o; o++)
		if (match(s, *o))
			return 1;
	return 0;
}

static int accept_office(struct cur *c)
{
	if (!office_at(c->s))
		return 0;
	return accept_any(c, office_titles);
}

/* ---- persons ---- */

struct person {
	char name[120];
	size_t len;
	int faction;
};

static void name_append(struct person *p, const char *s, size_t n)
{
	while (n > 0 && (is_space(*s) || (p->len == 0 && (*s == '.' || *s == ';' || *s == ','))))
		s++, n--;
	while (n > 0 && (is_space(s[n - 1]) || s[n - 1] == ','))
		n--;
	if (n == 0)
		return;
	if (p->len && p->len + 1 < sizeof p->name)
		p->name[p->len++] = ' ';
	if (p->len + n >= sizeof p->name)
		n = sizeof p->name - 1 - p->len;
	memcpy(p->name + p->len, s, n);
	p->len += n;
	p->name[p->len] = '\0';
}

/* Drops what is not part of a name: "Abg.", articles, office titles at the front. */
static void clean_name(struct person *p)
{
	static const char *const lead[] = { "Abg.", "Abg", "Abgeordneten", "Abgeordneter", "Abgeordnete", NULL };
	struct cur c = { p->name };
	while (accept_any(&c, lead) || accept_any(&c, articles) || accept_office(&c))
		;
	size_t off = (size_t)(c.s - p->name);
	memmove(p->name, p->name + off, p->len - off + 1);
	p->len -= off;
	while (p->len && (p->name[p->len - 1] == '.' && p->len >= 2 && p->name[p->len - 2] == ' '))
		p->name[--p->len] = '\0';
}

static int name_stop(const char *s, int in_list)
{
	if (*s == '\0' || *s == '[' || *s == ',' || *s == ':' || *s == ')' || *s == '(')
		return 1;
	if (in_list && is_space(*s) && (match(s + 1, "und") || match(s + 1, "sowie") || match(s + 1, "bzw.")))
		return 1;
	return 0;
}

/* A name with its brackets: "Dr. Karamba Diaby [SPD]", "Claudia Roth [Augsburg] [BÜNDNIS 90/DIE
 * GRÜNEN]", "Dr. h. c. [Univ Kyiv] Hans Michelbach [CDU/CSU]". Returns 1 if a name was read. */
static int accept_person(struct cur *c, struct person *p, int in_list)
{
	memset(p, 0, sizeof *p);
	const char *start = c->s;
	for (;;) {
		const char *w = c->s;
		while (!name_stop(c->s, in_list))
			c->s++;
		name_append(p, w, (size_t)(c->s - w));
		if (*c->s == '(') {
			/* "Nadine Schön (CDU/CSU)": round brackets read as meant, if they hold a faction */
			const char *b = c->s + 1, *e = strchr(b, ')');
			int f = e ? bracket_faction(b, (size_t)(e - b)) : 0;
			if (f) {
				p->faction = f;
				c->s = e + 1;
				skip_ws(c);
			}
			break;
		}
		if (*c->s != '[')
			break;
		const char *b = ++c->s;
		/* an unclosed bracket ends where the next bracket, comma or colon begins */
		while (*c->s && *c->s != ']' && *c->s != '[' && *c->s != ',' && *c->s != ':')
			c->s++;
		int f = bracket_faction(b, (size_t)(c->s - b));
		if (f)
			p->faction = f;
		else if (p->len == 0)
			name_append(p, b, (size_t)(c->s - b)); /* "der Abg. [Saskia Esken [SPD]" */
		if (*c->s == ']')
			c->s++;
		skip_ws(c);
		if (f)
			break; /* the faction bracket ends the name */
	}
	skip_ws(c);
	clean_name(p);
	return p->len > 0 && c->s != start;
}

static int is_upper_at(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	if (c == 0xC3) {
		unsigned char d = (unsigned char)s[1];
		return d == 0x84 || d == 0x96 || d == 0x9C; /* Ä Ö Ü */
	}
	return c >= 'A' && c <= 'Z';
}

/* ---- segments ---- */

struct clause {
	int kinds[RK_COUNT];
	int nk;
	int got;
	size_t start; /* first row of this clause in the output */
};

static void emit(struct reaction_list *out, struct clause *cl, int scope, int faction, const char *person,
		 size_t plen)
{
	for (int i = 0; i < cl->nk; i++) {
		/* a giver listed twice in one clause is an editing slip, not a second reaction */
		int dup = 0;
		for (size_t j = cl->start; j < out->n && !dup; j++) {
			const struct reaction *r = &out->v[j];
			dup = r->kind == cl->kinds[i] && r->scope == scope && r->faction == faction &&
			      strlen(r->person) == (person ? plen : 0) && (!person || memcmp(r->person, person, plen) == 0);
		}
		if (!dup)
			add_row(out, cl->kinds[i], scope, faction, person, plen);
	}
	cl->got = 1;
}

static void flush(struct reaction_list *out, struct clause *cl)
{
	if (cl->nk && !cl->got)
		emit(out, cl, RS_PARTIAL, 0, NULL, 0);
	cl->nk = 0;
	cl->got = 0;
	cl->start = out->n;
}

static void add_kind(struct clause *cl, int k)
{
	for (int i = 0; i < cl->nk; i++)
		if (cl->kinds[i] == k)
			return;
	cl->kinds[cl->nk++] = k;
}

/* "Heiterkeit und Beifall", "Lachen, Widerspruch und Zurufe" */
static int accept_kinds(struct cur *c, struct clause *cl)
{
	int k = accept_kind(c);
	if (k < 0)
		return 0;
	add_kind(cl, k);
	for (;;) {
		struct cur t = *c;
		if (!accept(&t, ",") && !accept(&t, "und") && !accept(&t, "sowie"))
			break;
		k = accept_kind(&t);
		if (k < 0) {
			/* "Beifall und Johlen bei der Linken": a noun that is not one of the kinds is skipped */
			if (!is_upper_at(t.s))
				break;
			while (is_letter_at(t.s) || *t.s == '-')
				t.s++;
			skip_ws(&t);
			if (!match(t.s, "bei") && !match(t.s, "beim") && !match(t.s, "von") && !match(t.s, "vom") &&
			    !match(t.s, "im"))
				break;
			*c = t;
			continue;
		}
		add_kind(cl, k);
		*c = t;
	}
	return 1;
}

static int is_zuruf_clause(const struct clause *cl)
{
	return cl->nk > 0 && cl->kinds[0] == RK_ZURUF;
}

/* The whole house: returns 1 and sets *partial when the phrase itself says "Abgeordnete". */
static int accept_house(struct cur *c, int *partial)
{
	static const char *const full[] = { "im ganzen Hause", "im ganzen Haus", "im gesamten Hause",
					    "im gesamten Haus", "im ganzen Hohen Hause", "im Hause",
					    "des ganzen Hauses", "des Hauses", "bei allen Fraktionen des Hauses",
					    "bei allen Fraktionen", "in allen Fraktionen", "von allen Fraktionen",
					    "allen Fraktionen", "auf allen Seiten des Hauses", "aus allen Fraktionen",
					    NULL };
	static const char *const part[] = { "bei Abgeordneten aller Fraktionen", "von Abgeordneten aller Fraktionen",
					    "bei Abgeordneten im ganzen Hause", "bei Abgeordneten im ganzen Haus",
					    "bei Abgeordneten in allen Fraktionen", "Abgeordneten aller Fraktionen",
					    "aller Fraktionen", NULL };
	if (accept_any(c, part)) {
		*partial = 1;
		return 1;
	}
	if (accept_any(c, full)) {
		*partial = 0;
		return 1;
	}
	return 0;
}

/* "des Abg.", "der Abg.", "des Abgeordneten", "des Bundesministers", or an article directly before a
 * name with a faction bracket ("Zuruf des Boris Mijatović [BÜNDNIS 90/DIE GRÜNEN]"): individuals. */
static int accept_individual_lead(struct cur *c)
{
	static const char *const leads[] = { "des Abg.", "der Abg.", "des Abg", "der Abg", "dem Abg.", "den Abg.",
					     "die Abg.", "Abg.", "des Abgeordneten", "der Abgeordneten",
					     "dem Abgeordneten", NULL };
	for (int i = 0; leads[i]; i++) {
		struct cur t = *c;
		if (!accept(&t, leads[i]))
			continue;
		/* "der Abgeordneten der SPD" is a group, not a person */
		struct cur u = t;
		if (accept_any(&u, articles) || accept_faction(&u) || match(u.s, "im ") || match(u.s, "aller"))
			return 0;
		*c = t;
		return 1;
	}
	struct cur t = *c;
	if (!accept(&t, "des") && !accept(&t, "der") && !accept(&t, "dem"))
		return 0;
	if (office_at(t.s)) {
		*c = t;
		return 1;
	}
	/* an article, a capitalised name, and a faction bracket before the next list separator */
	struct cur u = t;
	if (!is_upper_at(t.s) || accept_faction(&u) || accept_kind(&u) >= 0)
		return 0;
	for (const char *p = t.s; *p; p++) {
		if (*p == ',' || *p == ':' || *p == '(' || match(p, " und") || match(p, " sowie"))
			return 0;
		if (*p == '[') {
			const char *e = strchr(p, ']');
			if (e && bracket_faction(p + 1, (size_t)(e - p - 1))) {
				*c = t;
				return 1;
			}
		}
	}
	return 0;
}

/* Persons after an individual lead: "A [F], B [F] und C [F]". */
static void parse_persons(struct cur *c, struct clause *cl, struct reaction_list *out)
{
	for (;;) {
		struct person p;
		if (!accept_person(c, &p, 1))
			return;
		emit(out, cl, RS_INDIVIDUAL, p.faction, p.name, p.len);
		struct cur t = *c;
		if (!accept(&t, ",") && !accept(&t, "und") && !accept(&t, "sowie"))
			return;
		/* another person only if a name follows, not an article, preposition or reaction */
		struct cur u = t;
		if (accept_any(&u, articles) || accept(&u, "bei") || accept(&u, "beim") || accept(&u, "von") ||
		    accept(&u, "vom") || accept(&u, "im") || accept(&u, "auf") || accept_kind(&u) >= 0 ||
		    accept_faction(&u) || !*u.s)
			return;
		accept(&t, "Abg.");
		if (!is_upper_at(t.s))
			return; /* ", an die SPD-Fraktion gewandt" */
		*c = t;
	}
}

/* The givers after the reaction words. */
static void parse_givers(struct cur *c, struct clause *cl, struct reaction_list *out)
{
	int mode = is_zuruf_clause(cl) ? RS_PARTIAL : RS_FULL;
	for (int guard = 0; *c->s && guard < 64; guard++) {
		int partial;
		if (accept(c, ",") || accept(c, "und") || accept(c, "sowie") || accept(c, "bzw.") || accept(c, "wie"))
			continue;
		int k;
		struct cur t = *c;
		if ((k = accept_kind(&t)) >= 0) {
			/* "Beifall bei der SPD und Heiterkeit bei der FDP": a new clause */
			flush(out, cl);
			*c = t;
			add_kind(cl, k);
			while (accept(c, "und") || accept(c, ",")) {
				t = *c;
				if ((k = accept_kind(&t)) < 0) {
					break;
				}
				add_kind(cl, k);
				*c = t;
			}
			mode = is_zuruf_clause(cl) ? RS_PARTIAL : RS_FULL;
			continue;
		}
		if (accept_house(c, &partial)) {
			emit(out, cl, partial || mode == RS_PARTIAL ? RS_PARTIAL : RS_FULL, REACTION_HOUSE, NULL, 0);
			continue;
		}
		if (accept(c, "bei fraktionslosen Abgeordneten") || accept(c, "von fraktionslosen Abgeordneten") ||
		    accept(c, "fraktionslosen Abgeordneten") || accept(c, "bei den fraktionslosen Abgeordneten")) {
			emit(out, cl, RS_PARTIAL, FACTION_FRAKTIONSLOS, NULL, 0);
			continue;
		}
		if (accept_individual_lead(c)) {
			parse_persons(c, cl, out);
			continue;
		}
		static const char *const partial_leads[] = {
			"bei einzelnen Abgeordneten", "bei den Abgeordneten", "bei Abgeordneten", "von einzelnen Abgeordneten",
			"von Abgeordneten", "aus Abgeordneten", "bei Teilen", "von Teilen", "bei Mitgliedern",
			"von Mitgliedern", "bei einigen Abgeordneten", "einzelner Abgeordneter", "Abgeordneten",
			"Abgeordneter", NULL,
		};
		if (accept_any(c, partial_leads)) {
			mode = RS_PARTIAL;
			continue;
		}
		if (accept(c, "beim") || accept(c, "bei")) {
			mode = RS_FULL;
			continue;
		}
		if (accept(c, "vom") || accept(c, "von") || accept(c, "aus")) {
			mode = RS_PARTIAL;
			continue;
		}
		if (accept_any(c, articles) || accept(c, "Gruppe") || accept(c, "Fraktion") || accept(c, "Fraktionen"))
			continue;
		int f = accept_faction(c);
		if (f) {
			emit(out, cl, mode == RS_INDIVIDUAL ? RS_FULL : mode, f, NULL, 0);
			continue;
		}
		break; /* anything else ends the list ("auf der Regierungsbank", free text) */
	}
}

/* Named interjection: "Max Muster [SPD]", "Dorothee Bär [CDU/CSU], an die SPD gewandt",
 * "Nancy Faeser, Bundesministerin", "Bundesminister Hubertus Heil". head is the segment before its
 * colon. Without a colon only "Name [FRAKTION]" alone or followed by "." or ";" counts (a colon
 * misprinted). */
static int parse_named(const char *head, int had_colon, struct reaction_list *out)
{
	struct cur c = { head };
	struct person p;
	while (*c.s == ' ' || *c.s == '.' || *c.s == ';' || *c.s == ',')
		c.s++;
	int abg = accept(&c, "Abg.");
	if (!is_upper_at(c.s))
		return 0;
	int titled = office_at(c.s);
	if (!accept_person(&c, &p, 0))
		return 0;
	if (p.faction) {
		/* "Abg. X [AfD] meldet sich zu einer Zwischenfrage" is a stage direction; "Christoph de
		 * Vries [CDU/CSU] Was verstehen Sie denn?" lost its colon */
		int words_follow = !had_colon && !abg && is_upper_at(c.s);
		if (*c.s && *c.s != '.' && *c.s != ';' && !words_follow &&
		    (!had_colon || (*c.s != ',' && *c.s != '(')))
			return 0;
	} else {
		if (!had_colon)
			return 0;
		if (*c.s == ',') {
			/* "Nancy Faeser, Bundesministerin" */
			struct cur t = { c.s + 1 };
			skip_ws(&t);
			if (!office_at(t.s))
				return 0;
		} else if (!titled || (*c.s && *c.s != '(')) {
			return 0;
		}
	}
	if (p.len == 0 || p.len > 80)
		return 0;
	add_row(out, RK_ZURUF, RS_INDIVIDUAL, p.faction, p.name, p.len);
	return 1;
}

/* Whether a segment after a heckle's words starts a new reaction: a reaction word, or a named
 * interjection ("Name [FRAKTION]: ..."). */
static int starts_reaction(const char *seg)
{
	struct cur c = { seg };
	if (accept_kind(&c) >= 0)
		return 1;
	const char *colon = strchr(seg, ':');
	if (!colon || colon - seg > 200)
		return 0;
	char head[256];
	memcpy(head, seg, (size_t)(colon - seg));
	head[colon - seg] = '\0';
	struct reaction_list scratch = { 0 };
	int named = parse_named(head, 1, &scratch);
	reaction_list_free(&scratch);
	return named;
}

/* Parses one segment; sets *words when the segment ends in a heckle's own words. */
static void parse_segment(char *seg, struct reaction_list *out, int *words)
{
	/* cut at the first colon: what follows is the heckle's own words, never parsed */
	char *colon = strchr(seg, ':');
	int had_colon = colon != NULL;
	if (colon)
		*colon = '\0';
	*words = had_colon;
	struct cur c = { seg };
	skip_ws(&c);
	struct clause cl = { { 0 }, 0, 0, out->n };
	if (accept_kinds(&c, &cl)) {
		parse_givers(&c, &cl, out);
		flush(out, &cl);
		/* a named interjection glued on without its dash */
		if (*c.s && strchr(c.s, '['))
			parse_named(c.s, had_colon, out);
		return;
	}
	parse_named(c.s, had_colon, out);
}

/* Separators: an en or em dash, or a hyphen, with white space on at least one side ("X – Y",
 * "X –Y", "X! - Y", "X- Y"), and a doubled dash. A hyphen inside a word ("SPD-Fraktion") is not. */
static size_t separator_at(const char *s, const char *start)
{
	/* "(Beifall bei der AfD)(Unruhe bei der CDU/CSU)": two texts in one element */
	if (s[0] == ')' && s[1] == '(')
		return 2;
	if (s[0] == ')' && s[1] == ' ' && s[2] == '(')
		return 3;
	int before = s > start && is_space(s[-1]);
	size_t dl = 0;
	if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x93 || (unsigned char)s[2] == 0x94))
		dl = 3;
	else if (s[0] == '-')
		dl = 1;
	if (!dl)
		return 0;
	size_t n = dl;
	/* doubled dash "--" */
	if (s[n] == '-')
		n++;
	int after = is_space(s[n]);
	if (!before && !after) {
		if (dl == 3 && n == 3) {
			/* an en dash glued to both words is a separator only before a reaction word */
			struct cur c = { s + 3 };
			return accept_kind(&c) >= 0 ? n : 0;
		}
		return 0;
	}
	if (dl == 1 && !before && after) {
		/* "Bundes- und Landesebene": a hyphen before "und"/"oder" is a word part */
		if (match(s + n + 1, "und") || match(s + n + 1, "oder") || match(s + n + 1, "bis"))
			return 0;
	}
	if (dl == 1 && before && !after) {
		/* " -Zuruf": only before a reaction word or a capital */
		struct cur c = { s + n };
		if (accept_kind(&c) < 0 && !(s[n] >= 'A' && s[n] <= 'Z'))
			return 0;
	}
	return n;
}

void reaction_parse(const char *text, struct reaction_list *out)
{
	out->n = 0;
	size_t n = strlen(text);
	char *buf = xmalloc(n + 1);
	/* normalise to single spaces, drop the enclosing parentheses */
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = text[i];
		if ((unsigned char)ch == 0xC2 && (unsigned char)text[i + 1] == 0xAD) {
			i++; /* soft hyphen: invisible, and it splits names ("Grosse-\u00ADBrömer") */
			continue;
		}
		if ((unsigned char)ch == 0xC2 && (unsigned char)text[i + 1] == 0xA0) {
			i++;
			ch = ' ';
		}
		if (ch == '\t' || ch == '\n' || ch == '\r')
			ch = ' ';
		if (ch == ' ' && (o == 0 || buf[o - 1] == ' '))
			continue;
		buf[o++] = ch;
	}
	while (o > 0 && buf[o - 1] == ' ')
		o--;
	buf[o] = '\0';
	char *s = buf;
	while (*s == '(' || *s == '[' || *s == ' ')
		s++;
	/* drop closing parentheses only as far as they have no opening one left: the enclosing
	 * one goes, "(Beifall der Abg. Nadine Schön (CDU/CSU))" keeps its faction */
	int open = 0;
	for (char *p = s; *p; p++)
		open += *p == '(' ? 1 : *p == ')' ? -1 : 0;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || (e[-1] == ')' && open < 0))) {
		if (e[-1] == ')')
			open++;
		e--;
	}
	*e = '\0';

	int words = 0;
	char *seg = s;
	for (char *p = s;; p++) {
		/* only these bytes can start a separator */
		unsigned char ch = (unsigned char)*p;
		size_t k = (ch == '-' || ch == ')' || ch == 0xE2) ? separator_at(p, s) : 0;
		if (!*p || k) {
			char save = *p;
			*p = '\0';
			/* inside a heckle's words a dash continues them unless a new reaction follows */
			char *t = seg;
			while (is_space(*t))
				t++;
			if (*t && (!words || starts_reaction(t))) {
				char *copy = xstrdup(t);
				parse_segment(copy, out, &words);
				free(copy);
			}
			*p = save;
			if (!save)
				break;
			p += k - 1;
			seg = p + 1;
		}
	}
	free(buf);
}

/* Direct-mapped: 4096 slots hold about half of the corpus's repeats (measured); texts longer
 * than 256 bytes are rare repeats and bypass it. */
enum { CACHE_SLOTS = 4096, CACHE_MAXLEN = 256 };

struct cache_slot {
	uint64_t hash;
	size_t len;
	char text[CACHE_MAXLEN];
	struct reaction_list rows;
};

static struct cache_slot *cache;

void reaction_parse_cached(const char *text, size_t len, struct reaction_list *out)
{
	if (len >= CACHE_MAXLEN) {
		reaction_parse(text, out);
		return;
	}
	if (!cache)
		cache = xcalloc(CACHE_SLOTS, sizeof *cache);
	struct hash64 h;
	hash64_init(&h);
	hash64_update(&h, text, len);
	uint64_t hv = hash64_final(&h);
	struct cache_slot *c = &cache[hv & (CACHE_SLOTS - 1)];
	if (c->hash == hv && c->len == len && memcmp(c->text, text, len) == 0) {
		out->n = 0;
		if (out->cap < c->rows.n) {
			out->cap = c->rows.n;
			out->v = xrealloc(out->v, out->cap * sizeof *out->v);
		}
		if (c->rows.n)
			memcpy(out->v, c->rows.v, c->rows.n * sizeof *out->v);
		out->n = c->rows.n;
		return;
	}
	reaction_parse(text, out);
	c->hash = hv;
	c->len = len;
	memcpy(c->text, text, len);
	if (c->rows.cap < out->n) {
		c->rows.cap = out->n;
		c->rows.v = xrealloc(c->rows.v, c->rows.cap * sizeof *c->rows.v);
	}
	if (out->n)
		memcpy(c->rows.v, out->v, out->n * sizeof *out->v);
	c->rows.n = out->n;
}
