/* Factions: canonical labels and the mapping of every spelling the data and users have. */
#ifndef BT_FACTION_H
#define BT_FACTION_H

enum {
	FACTION_NONE = 0,
	FACTION_CDU,
	FACTION_SPD,
	FACTION_AFD,
	FACTION_FDP,
	FACTION_GRUENE,
	FACTION_LINKE,
	FACTION_BSW,
	FACTION_FRAKTIONSLOS,
	FACTION_COUNT
};

/* Canonical label ("CDU/CSU", "GRÜNE", ...); "" for FACTION_NONE. */
const char *faction_label(int f);
/* From a canonical label; 0 if it is none. */
int faction_from_label(const char *label);
/* A <fraktion> element's text: white space (also no-break spaces, line breaks) and case are ignored.
 * Returns 0 for a value that cannot be mapped (such as "SPDCDU/CSU"): never guessed. */
int faction_from_fraktion(const char *raw);
/* A command-line argument: also accepts common spellings (Grüne, B90/Grüne, Linke, Union, ...). */
int faction_from_arg(const char *arg);
/* The master data's institution name ("Fraktion der Sozialdemokratischen Partei Deutschlands"). */
int faction_from_mdb(const char *ins_lang);
/* At most 7 characters, for narrow table columns ("fraktl." for fraktionslos). */
const char *faction_short(int f);
/* "CDU/CSU, SPD, ..." for messages. */
const char *faction_choices(void);

#endif
