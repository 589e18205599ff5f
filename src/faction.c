/* Faction spellings -> canonical labels. Matching works on a key with white space removed and
 * letters upper-cased, so line breaks, no-break spaces and "DIE LINKE"/"Die Linke" all meet. */
#include "bt/faction.h"
#include "bt/strbuf.h"
#include <string.h>

static const char *const labels[FACTION_COUNT] = {
	"", "CDU/CSU", "SPD", "AfD", "FDP", "GRÜNE", "LINKE", "BSW", "fraktionslos",
};

const char *faction_label(int f) { return f > 0 && f < FACTION_COUNT ? labels[f] : ""; }

int faction_from_label(const char *label)
{
	for (int f = 1; f < FACTION_COUNT; f++)
		if (strcmp(labels[f], label) == 0)
			return f;
	return 0;
}

const char *faction_short(int f) { return f == FACTION_FRAKTIONSLOS ? "fraktl." : faction_label(f); }

const char *faction_choices(void) { return "CDU/CSU, SPD, AfD, FDP, GRÜNE, LINKE, BSW, fraktionslos"; }

/* Key: drop ASCII white space and U+00A0, upper-case ASCII and ä/ö/ü. Fits into out (size n). */
static void make_key(const char *s, char *out, size_t n)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p && o + 3 < n) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			p++;
		} else if (p[0] == 0xC2 && p[1] == 0xA0) {
			p += 2;
		} else if (p[0] == 0xC3 && (p[1] == 0xA4 || p[1] == 0xB6 || p[1] == 0xBC)) {
			out[o++] = (char)0xC3; /* ä ö ü -> Ä Ö Ü */
			out[o++] = (char)(p[1] - 0x20);
			p += 2;
		} else {
			out[o++] = (char)((*p >= 'a' && *p <= 'z') ? *p - 32 : *p);
			p++;
		}
	}
	out[o] = '\0';
}

struct alias {
	const char *key;
	int faction;
};

/* Keys as make_key() produces them. */
static const struct alias fraktion_aliases[] = {
	{ "CDU/CSU", FACTION_CDU },
	{ "SPD", FACTION_SPD },
	{ "AFD", FACTION_AFD },
	{ "FDP", FACTION_FDP },
	{ "BÜNDNIS90/DIEGRÜNEN", FACTION_GRUENE },
	{ "DIELINKE", FACTION_LINKE },
	{ "GRUPPEDIELINKE", FACTION_LINKE },
	{ "BSW", FACTION_BSW },
	{ "GRUPPEBSW", FACTION_BSW },
	{ "FRAKTIONSLOS", FACTION_FRAKTIONSLOS },
	{ NULL, 0 },
};

static const struct alias arg_aliases[] = {
	{ "UNION", FACTION_CDU },
	{ "CDU", FACTION_CDU },
	{ "CSU", FACTION_CDU },
	{ "GRÜNE", FACTION_GRUENE },
	{ "GRÜNEN", FACTION_GRUENE },
	{ "GRUENE", FACTION_GRUENE },
	{ "GRUENEN", FACTION_GRUENE },
	{ "B90/GRÜNE", FACTION_GRUENE },
	{ "B90/GRUENE", FACTION_GRUENE },
	{ "B90/DIEGRÜNEN", FACTION_GRUENE },
	{ "BÜNDNIS90/GRÜNE", FACTION_GRUENE },
	{ "BÜNDNIS90", FACTION_GRUENE },
	{ "B90", FACTION_GRUENE },
	{ "BUENDNIS90/DIEGRUENEN", FACTION_GRUENE },
	{ "LINKE", FACTION_LINKE },
	{ "LINKEN", FACTION_LINKE },
	{ "DIELINKEN", FACTION_LINKE },
	{ "FRAKTIONSLOSE", FACTION_FRAKTIONSLOS },
	{ "PARTEILOS", FACTION_FRAKTIONSLOS },
	{ NULL, 0 },
};

static int lookup(const struct alias *t, const char *key)
{
	for (; t->key; t++)
		if (strcmp(t->key, key) == 0)
			return t->faction;
	return 0;
}

int faction_from_fraktion(const char *raw)
{
	char key[128];
	if (!raw || strlen(raw) >= 100)
		return 0;
	make_key(raw, key, sizeof key);
	return lookup(fraktion_aliases, key);
}

int faction_from_arg(const char *arg)
{
	char key[128];
	if (!arg || strlen(arg) >= 100)
		return 0;
	make_key(arg, key, sizeof key);
	int f = lookup(fraktion_aliases, key);
	if (!f)
		f = lookup(arg_aliases, key);
	if (!f) {
		char lab[128];
		for (int i = 1; i < FACTION_COUNT && !f; i++) {
			make_key(labels[i], lab, sizeof lab);
			if (strcmp(lab, key) == 0)
				f = i;
		}
	}
	return f;
}

int faction_from_mdb(const char *ins)
{
	if (!ins)
		return 0;
	/* The master data names the parliamentary groups in full; match the distinctive part. */
	if (strstr(ins, "Christlich Demokratischen Union") || strstr(ins, "CDU/CSU"))
		return FACTION_CDU;
	if (strstr(ins, "Sozialdemokratischen Partei") || strstr(ins, "der SPD"))
		return FACTION_SPD;
	if (strstr(ins, "Alternative für Deutschland"))
		return FACTION_AFD;
	if (strstr(ins, "Freien Demokratischen Partei") || strstr(ins, "der FDP"))
		return FACTION_FDP;
	if (strstr(ins, "BÜNDNIS 90/DIE GRÜNEN") || strstr(ins, "Bündnis 90/Die Grünen"))
		return FACTION_GRUENE;
	if (strstr(ins, "DIE LINKE") || strstr(ins, "Die Linke"))
		return FACTION_LINKE;
	if (strstr(ins, "BSW") || strstr(ins, "Sahra Wagenknecht"))
		return FACTION_BSW;
	if (strstr(ins, "Fraktionslos") || strstr(ins, "fraktionslos"))
		return FACTION_FRAKTIONSLOS;
	return 0;
}
