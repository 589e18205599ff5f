/* The plenary protocol: a streaming state machine over expat events. Text is collected into
 * reused buffers and each record is written when its element closes (sfeed-style); the whole
 * protocol is never in memory.
 *
 * Who holds the floor: a <p klasse="redner"> hands it to that member (the first one of a <rede>
 * is the main speaker, another one a Zwischenfrage, the main speaker again takes it back), a
 * <name> or <p klasse="N"> line hands it to the chair. Kommentare the chair receives after its
 * last words and directly before the main speaker of a new speech takes the floor (applause
 * greeting the next speaker) are handed to that speaker's turn. */
#include "bt/document.h"
#include "bt/faction.h"
#include "bt/reaction.h"
#include "bt/tally.h"
#include "bt/util.h"
#include <stdlib.h>
#include <string.h>

enum part { PART_NONE, PART_BEGINN, PART_TOP, PART_ANLAGE, PART_ENDE };
static const char *const part_names[] = { "", "beginn", "top", "anlage", "ende" };

enum collect { C_NONE, C_P, C_KOMMENTAR, C_NAME };

enum rfield { R_NONE, R_TITEL, R_VORNAME, R_NACHNAME, R_NAMENSZUSATZ, R_ORTSZUSATZ, R_FRAKTION, R_ROLLE, R_BDLAND,
	      R_NFIELDS };

#define MAX_PENDING 64

struct proto {
	struct document *doc;
	struct store *store;
	struct store_doc *sd;
	struct session_meta meta;
	char *start_time, *end_time;

	int depth;
	int skip_from; /* depth of a skipped subtree (vorspann, rednerliste), 0 if none */
	enum part part;

	int64_t agenda_id;
	int title_open; /* still collecting the T_* lines that open an agenda item */
	struct strbuf title;

	int in_rede;
	char *rede_id;
	int64_t speech_id;
	int64_t main_person, main_turn;

	int64_t turn_id;
	int turn_is_chair;
	int turn_ti; /* the turn's index in the tally, -1 for none */
	struct tally *tally;

	enum collect collect;
	int collect_depth;
	char klasse[40];
	struct strbuf text; /* the element's text, white space collapsed as it arrives */
	int text_space;
	struct strbuf scratch; /* reused for names, so no allocation per element */

	int in_redner;
	int redner_seen; /* a complete <redner> inside the current paragraph */
	int64_t redner_id;
	enum rfield rfield;
	struct strbuf rf[R_NFIELDS];

	int64_t pending[MAX_PENDING]; /* kommentare that may greet the next speaker */
	int npending;

	struct reaction_list reactions;
};

static const char *nz(const struct strbuf *sb) { return sb->len ? sb->buf : NULL; }
static void keep_pending(struct proto *p);

static void *proto_open(struct document *doc, struct store *s, const char **attrs, int64_t tag)
{
	const char *wp = attr_get(attrs, "wahlperiode"), *nr = attr_get(attrs, "sitzung-nr"),
		   *date = attr_get(attrs, "sitzung-datum");
	struct session_meta m;
	memset(&m, 0, sizeof m);
	char *end;
	if (!wp || !nr || !date) {
		document_fail(doc, "<dbtplenarprotokoll> lacks wahlperiode, sitzung-nr or sitzung-datum");
		return NULL;
	}
	m.wahlperiode = (int)strtol(wp, &end, 10);
	if (*end || m.wahlperiode <= 0) {
		document_fail(doc, "bad wahlperiode '%s'", wp);
		return NULL;
	}
	m.sitzung = (int)strtol(nr, &end, 10);
	if (*end || m.sitzung <= 0) {
		document_fail(doc, "bad sitzung-nr '%s'", nr);
		return NULL;
	}
	if (date_de_to_iso(date, m.date) < 0) {
		document_fail(doc, "bad sitzung-datum '%s'", date);
		return NULL;
	}
	struct proto *p = xcalloc(1, sizeof *p);
	p->doc = doc;
	p->store = s;
	const char *st = attr_get(attrs, "sitzung-start-uhrzeit"), *et = attr_get(attrs, "sitzung-ende-uhrzeit");
	p->start_time = st ? xstrdup(st) : NULL;
	p->end_time = et ? xstrdup(et) : NULL;
	m.start_time = p->start_time;
	m.end_time = p->end_time;
	m.source = document_source(doc);
	p->meta = m;
	p->depth = 1;
	p->turn_ti = -1;
	int seated[FACTION_COUNT];
	p->tally = tally_new(seated, store_seated(s, m.date, seated));
	p->sd = store_begin(s, &p->meta, tag);
	return p;
}

static void proto_free(struct proto *p)
{
	sb_free(&p->title);
	sb_free(&p->text);
	sb_free(&p->scratch);
	for (int i = 0; i < R_NFIELDS; i++)
		sb_free(&p->rf[i]);
	reaction_list_free(&p->reactions);
	tally_free(p->tally);
	free(p->rede_id);
	free(p->start_time);
	free(p->end_time);
	free(p);
}

static void proto_abort(void *h)
{
	struct proto *p = h;
	if (p->sd)
		store_abort(p->sd, NULL);
	proto_free(p);
}

static void proto_finish(void *h, const char *hash, int64_t bytes, const struct fetch_info *fetch)
{
	struct proto *p = h;
	tally_release(p->tally, p->turn_ti);
	tally_emit(p->tally, p->sd);
	store_finish(p->sd, hash, bytes, fetch);
	p->sd = NULL;
	proto_free(p);
}

static enum rfield rfield_of(const char *name)
{
	static const struct {
		const char *n;
		enum rfield f;
	} t[] = {
		{ "titel", R_TITEL },	  { "vorname", R_VORNAME },   { "nachname", R_NACHNAME },
		{ "namenszusatz", R_NAMENSZUSATZ }, { "ortszusatz", R_ORTSZUSATZ }, { "fraktion", R_FRAKTION },
		{ "rolle_lang", R_ROLLE }, { "bdland", R_BDLAND },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		if (strcmp(name, t[i].n) == 0)
			return t[i].f;
	return R_NONE;
}

/* The speech row is written when first needed: usually at its main speaker's line. */
static void ensure_speech(struct proto *p)
{
	if (p->in_rede && !p->speech_id)
		p->speech_id = store_speech(p->sd, p->agenda_id, p->rede_id);
}

static void start_collect(struct proto *p, enum collect c, const char *klasse)
{
	p->collect = c;
	p->collect_depth = p->depth;
	snprintf(p->klasse, sizeof p->klasse, "%s", klasse ? klasse : "");
	sb_reset(&p->text);
	p->text_space = 0;
	p->redner_seen = 0;
}

static void proto_start(void *h, const char *name, const char **attrs)
{
	struct proto *p = h;
	p->depth++;
	if (p->skip_from)
		return;
	if (p->in_redner) {
		p->rfield = rfield_of(name);
		if (p->rfield != R_NONE)
			sb_reset(&p->rf[p->rfield]);
		return;
	}
	switch (name[0]) {
	case 'v':
		if (strcmp(name, "vorspann") == 0)
			p->skip_from = p->depth;
		return;
	case 'r':
		if (strcmp(name, "rednerliste") == 0) {
			p->skip_from = p->depth;
		} else if (strcmp(name, "rede") == 0 && p->part != PART_NONE && !p->in_rede) {
			p->in_rede = 1;
			const char *id = attr_get(attrs, "id");
			free(p->rede_id);
			p->rede_id = id ? xstrdup(id) : NULL;
			p->speech_id = 0;
			p->main_person = 0;
			p->main_turn = 0;
			p->title_open = 0;
		} else if (strcmp(name, "redner") == 0) {
			p->in_redner = 1;
			p->rfield = R_NONE;
			const char *id = attr_get(attrs, "id");
			p->redner_id = id ? strtoll(id, NULL, 10) : 0;
			for (int i = 0; i < R_NFIELDS; i++)
				sb_reset(&p->rf[i]);
		}
		return;
	case 's':
		if (strcmp(name, "sitzungsbeginn") == 0) {
			p->part = PART_BEGINN;
		} else if (strcmp(name, "sitzungsende") == 0) {
			p->part = PART_ENDE;
		}
		return;
	case 't':
		if (strcmp(name, "tagesordnungspunkt") == 0) {
			p->part = PART_TOP;
			p->agenda_id = store_agenda_item(p->sd, attr_get(attrs, "top-id"));
			p->title_open = 1;
			sb_reset(&p->title);
		}
		return;
	case 'a':
		if (strcmp(name, "anlagen") == 0) {
			p->part = PART_ANLAGE;
			p->agenda_id = 0;
			keep_pending(p);
			p->turn_id = 0;
			p->turn_ti = -1;
			p->turn_is_chair = 0;
		}
		return;
	case 'p':
		if (strcmp(name, "p") == 0 && p->collect == C_NONE && p->part != PART_NONE)
			start_collect(p, C_P, attr_get(attrs, "klasse"));
		return;
	case 'k':
		if (strcmp(name, "kommentar") == 0 && p->collect == C_NONE && p->part != PART_NONE)
			start_collect(p, C_KOMMENTAR, NULL);
		return;
	case 'n':
		if (strcmp(name, "name") == 0 && p->collect == C_NONE && p->part != PART_NONE)
			start_collect(p, C_NAME, "name");
		return;
	default:
		return;
	}
}

static void proto_text(void *h, const char *s, int len)
{
	struct proto *p = h;
	if (p->skip_from)
		return;
	if (p->in_redner) {
		if (p->rfield != R_NONE)
			sb_add(&p->rf[p->rfield], s, (size_t)len);
		return;
	}
	if (p->collect == C_NONE)
		return;
	/* The speaker line's own text ("Dr. Alice Weidel (AfD):") is what the protocol prints; the
	 * <redner> structure inside it is read separately. */
	sb_add_collapsing(&p->text, s, (size_t)len, &p->text_space);
}

static void normalized_field(struct proto *p, enum rfield f)
{
	struct strbuf *b = &p->rf[f];
	if (!b->len)
		return;
	sb_reset(&p->scratch);
	sb_add_normalized(&p->scratch, b->buf, b->len);
	sb_reset(b);
	sb_add(b, sb_str(&p->scratch), p->scratch.len);
}

static void end_redner(struct proto *p)
{
	p->in_redner = 0;
	p->rfield = R_NONE;
	for (int i = R_TITEL; i < R_NFIELDS; i++)
		normalized_field(p, (enum rfield)i);
	struct person_info pi = {
		.id = p->redner_id,
		.title = nz(&p->rf[R_TITEL]),
		.first_name = nz(&p->rf[R_VORNAME]),
		.last_name = nz(&p->rf[R_NACHNAME]),
		.name_affix = nz(&p->rf[R_NAMENSZUSATZ]),
		.place = nz(&p->rf[R_ORTSZUSATZ]),
		.role = nz(&p->rf[R_ROLLE]),
	};
	store_person(p->sd, &pi);
	if (p->collect == C_P && strcmp(p->klasse, "redner") == 0)
		p->redner_seen = 1;
}

/* "Dr. Alice Weidel" from the redner fields. */
static void redner_display_name(struct proto *p, struct strbuf *out)
{
	static const enum rfield order[] = { R_TITEL, R_VORNAME, R_NAMENSZUSATZ, R_NACHNAME };
	sb_reset(out);
	for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
		const struct strbuf *b = &p->rf[order[i]];
		if (!b->len)
			continue;
		if (out->len)
			sb_addc(out, ' ');
		sb_add(out, b->buf, b->len);
	}
}

/* The held-back kommentare greeted the member now taking the floor. */
static void give_pending_to(struct proto *p, int64_t turn, int ti)
{
	for (int i = 0; i < p->npending; i++)
		store_kommentar_turn(p->sd, p->pending[i], turn);
	p->npending = 0;
	tally_release(p->tally, ti);
}

/* The held-back kommentare stay with the chair who received them. */
static void keep_pending(struct proto *p)
{
	p->npending = 0;
	tally_release(p->tally, p->turn_ti);
}

/* A speaker line: a member takes the floor. */
static void member_takes_floor(struct proto *p)
{
	ensure_speech(p);
	const char *fraktion = nz(&p->rf[R_FRAKTION]);
	int faction = fraktion ? faction_from_fraktion(fraktion) : 0;
	if (fraktion && !faction)
		store_count_unmapped(p->sd);
	int role;
	if (!p->in_rede)
		role = ROLE_MEMBER;
	else if (!p->main_turn || p->redner_id == p->main_person)
		role = ROLE_MAIN;
	else
		role = ROLE_ZWISCHENFRAGE;
	int government = !fraktion && p->rf[R_ROLLE].len && !p->rf[R_BDLAND].len;
	int receiver = faction ? faction : store_member_faction(p->store, p->redner_id, p->meta.date);
	struct strbuf *name = &p->scratch;
	redner_display_name(p, name);
	struct turn_info t = {
		.speech_id = p->in_rede ? p->speech_id : 0,
		.role = turn_role_name(role),
		.person_id = p->redner_id,
		.name = sb_str(name),
		.faction_raw = fraktion,
		.faction = faction,
		.receiver = receiver,
		.role_text = nz(&p->rf[R_ROLLE]),
		.bdland = nz(&p->rf[R_BDLAND]),
		.government = government,
	};
	int64_t turn = store_turn(p->sd, &t);
	int first_main = p->in_rede && !p->main_turn;
	if (first_main) {
		p->main_turn = turn;
		p->main_person = p->redner_id;
		store_speech_speaker(p->sd, p->speech_id, p->redner_id, turn);
	}
	int ti = tally_turn(p->tally, t.speech_id, role, government, receiver);
	/* Only a new speech's main speaker is greeted: before a Zwischenfrage, or when the speaker
	 * resumes, what followed the chair's words reacted to the chair. */
	if (role == ROLE_MAIN && first_main)
		give_pending_to(p, turn, ti);
	else
		keep_pending(p);
	p->turn_id = turn;
	p->turn_ti = ti;
	p->turn_is_chair = 0;
}

static void chair_takes_floor(struct proto *p, const char *name)
{
	ensure_speech(p);
	size_t n = strlen(name);
	sb_reset(&p->scratch);
	sb_add(&p->scratch, name, n && name[n - 1] == ':' ? n - 1 : n);
	const char *clean = p->scratch.buf;
	struct turn_info t = {
		.speech_id = p->in_rede ? p->speech_id : 0,
		.role = turn_role_name(ROLE_CHAIR),
		.name = clean,
	};
	int64_t turn = store_turn(p->sd, &t);
	keep_pending(p);
	p->turn_id = turn;
	p->turn_ti = tally_turn(p->tally, t.speech_id, ROLE_CHAIR, 0, 0);
	p->turn_is_chair = 1;
}

static void end_paragraph(struct proto *p, enum collect c)
{
	const char *klasse = p->klasse;
	if (strcmp(klasse, "redner") == 0 && p->redner_seen && p->part != PART_ANLAGE) {
		member_takes_floor(p);
	} else if (c == C_NAME || strcmp(klasse, "N") == 0) {
		if (p->part != PART_ANLAGE)
			chair_takes_floor(p, p->text.buf ? p->text.buf : "");
	} else {
		if (p->text.len == 0)
			return; /* empty paragraphs carry nothing */
		keep_pending(p); /* the chair spoke again: what came before greeted nobody */
		/* the title: the T_* lines between the item's start and its first speech (the chair's
		 * "Ich rufe auf ..." may come first) */
		if (p->title_open && p->part == PART_TOP && strncmp(klasse, "T_", 2) == 0) {
			if (p->title.len)
				sb_addc(&p->title, ' ');
			sb_add(&p->title, p->text.buf, p->text.len);
		}
	}
	ensure_speech(p);
	store_paragraph(p->sd, part_names[p->part], p->agenda_id, p->in_rede ? p->speech_id : 0, p->turn_id,
			klasse[0] ? klasse : NULL, sb_str(&p->text));
}

static void end_kommentar(struct proto *p)
{
	if (p->text.len == 0)
		return;
	ensure_speech(p);
	reaction_parse_cached(p->text.buf, p->text.len, &p->reactions);
	int64_t id = store_kommentar(p->sd, part_names[p->part], p->agenda_id, p->in_rede ? p->speech_id : 0,
				     p->turn_id, p->text.buf, &p->reactions);
	if (p->turn_is_chair && p->npending < MAX_PENDING) {
		p->pending[p->npending++] = id;
		tally_hold(p->tally, &p->reactions);
	} else {
		tally_credit(p->tally, p->turn_ti, &p->reactions);
	}
}

static void proto_end(void *h, const char *name)
{
	struct proto *p = h;
	int depth = p->depth--;
	if (p->skip_from) {
		if (depth == p->skip_from)
			p->skip_from = 0;
		return;
	}
	if (p->in_redner) {
		if (strcmp(name, "redner") == 0)
			end_redner(p);
		else
			p->rfield = R_NONE;
		return;
	}
	if (p->collect != C_NONE && depth == p->collect_depth) {
		enum collect c = p->collect;
		p->collect = C_NONE;
		if (c == C_KOMMENTAR)
			end_kommentar(p);
		else
			end_paragraph(p, c);
		return;
	}
	if (strcmp(name, "rede") == 0 && p->in_rede) {
		p->in_rede = 0;
		p->speech_id = 0;
	} else if (strcmp(name, "tagesordnungspunkt") == 0) {
		if (p->title.len)
			store_agenda_title(p->sd, p->agenda_id, p->title.buf);
		p->agenda_id = 0;
		p->title_open = 0;
		sb_reset(&p->title);
	}
}

const struct doc_handler protocol_handler = {
	.root = "dbtplenarprotokoll",
	.open = proto_open,
	.start = proto_start,
	.end = proto_end,
	.text = proto_text,
	.finish = proto_finish,
	.abort = proto_abort,
};
