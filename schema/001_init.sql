-- bt database schema, step 1 (PRAGMA user_version 0 -> 1).
-- Each schema/NNN_*.sql file is one migration step, embedded into the binary at build time.
--
-- The model follows the protocol XML: session -> agenda item -> speech -> paragraphs and
-- kommentare in document order (one `seq` counter per session shared by both), each pointing at
-- the turn (who held the floor) at that moment.
--
-- Row ids of protocol content are (session.id << 24) + n: a session's rows of any table form one
-- rowid range, so replacing or rolling back a protocol is one range DELETE per table, and the
-- big tables need no index on session_id. session_id (and seq) are derived from the id as
-- virtual columns: there for convenience, free to store.

-- Canonical faction labels; every other spelling is mapped onto these.
CREATE TABLE faction (
    label TEXT PRIMARY KEY,          -- CDU/CSU, SPD, AfD, FDP, GRÜNE, LINKE, BSW, fraktionslos
    name  TEXT NOT NULL,             -- as the Bundestag writes it
    ord   INTEGER NOT NULL           -- display order (seat order, left to right is not implied)
) WITHOUT ROWID;
INSERT INTO faction VALUES
    ('CDU/CSU', 'CDU/CSU', 1),
    ('SPD', 'SPD', 2),
    ('AfD', 'AfD', 3),
    ('FDP', 'FDP', 4),
    ('GRÜNE', 'BÜNDNIS 90/DIE GRÜNEN', 5),
    ('LINKE', 'Die Linke', 6),
    ('BSW', 'BSW', 7),
    ('fraktionslos', 'fraktionslos', 8);

-- Who was seated as a Fraktion or Gruppe when: "Beifall im ganzen Hause" (faction '*') counts for
-- each of them on that date. Dates inclusive. Die Linke dissolved as a Fraktion on 2023-12-06;
-- Die Linke and BSW were recognised as Gruppen on 2024-02-02.
CREATE TABLE faction_seat (
    faction   TEXT NOT NULL REFERENCES faction(label),
    kind      TEXT NOT NULL CHECK (kind IN ('Fraktion', 'Gruppe')),
    from_date TEXT NOT NULL,
    to_date   TEXT NOT NULL
);
INSERT INTO faction_seat VALUES
    ('CDU/CSU', 'Fraktion', '2017-10-24', '9999-12-31'),
    ('SPD',     'Fraktion', '2017-10-24', '9999-12-31'),
    ('AfD',     'Fraktion', '2017-10-24', '9999-12-31'),
    ('FDP',     'Fraktion', '2017-10-24', '2025-03-24'),
    ('GRÜNE',   'Fraktion', '2017-10-24', '9999-12-31'),
    ('LINKE',   'Fraktion', '2017-10-24', '2023-12-05'),
    ('LINKE',   'Gruppe',   '2024-02-02', '2025-03-24'),
    ('LINKE',   'Fraktion', '2025-03-25', '9999-12-31'),
    ('BSW',     'Gruppe',   '2024-02-02', '2025-03-24');

-- One plenary session = one protocol. Identity is (wahlperiode, sitzung) from the content.
-- A protocol is written with live = 0 and switched live when complete; readers only see live rows,
-- so a crash or a bad file never shows a protocol in part.
CREATE TABLE session (
    id            INTEGER PRIMARY KEY,
    wahlperiode   INTEGER NOT NULL,
    sitzung       INTEGER NOT NULL,
    date          TEXT NOT NULL,        -- ISO 8601 (sitzung-datum)
    start_time    TEXT,                 -- as printed, e.g. 9:00
    end_time      TEXT,
    source        TEXT NOT NULL,        -- file, archive:entry or URL it was read from
    content_hash  TEXT NOT NULL,        -- XXH64 of the document, line ends normalised
    bytes         INTEGER NOT NULL,
    unmapped      INTEGER NOT NULL DEFAULT 0,  -- <fraktion> values that could not be mapped
    imported_at   TEXT NOT NULL,        -- UTC
    live          INTEGER NOT NULL DEFAULT 0,
    owner         INTEGER               -- pid of the writer while live = 0
);
CREATE UNIQUE INDEX session_identity ON session(wahlperiode, sitzung) WHERE live;

-- Speakers by <redner id> (the MdB-Stammdaten ID); the latest spelling wins.
CREATE TABLE person (
    id          INTEGER PRIMARY KEY,
    title       TEXT,                   -- Dr., Prof. Dr.
    first_name  TEXT,
    last_name   TEXT,
    name_affix  TEXT,                   -- <namenszusatz>: von, van, de
    place       TEXT,                   -- <ortszusatz>: the constituency used to tell namesakes apart
    role        TEXT                    -- latest <rolle_lang>, if any
);

CREATE TABLE agenda_item (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER GENERATED ALWAYS AS (id >> 24) VIRTUAL,
    ord         INTEGER GENERATED ALWAYS AS (id & 16777215) VIRTUAL, -- order within the session
    top_id      TEXT NOT NULL,          -- top-id attribute: "Tagesordnungspunkt 3", "Zusatzpunkt 1"
    title       TEXT                    -- the T_* paragraphs that open it, joined
);

CREATE TABLE speech (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER GENERATED ALWAYS AS (id >> 24) VIRTUAL,
    agenda_item_id INTEGER,
    ord         INTEGER GENERATED ALWAYS AS (id & 16777215) VIRTUAL, -- order within the session
    rede_id     TEXT,                   -- <rede id>, e.g. ID191400100
    speaker_id  INTEGER,                -- person.id of the main speaker
    turn_id     INTEGER,                -- the main speaker's first turn (name, faction as printed)
    applause    INTEGER NOT NULL DEFAULT 0  -- applause while the main speaker held the floor:
                                            -- one per applauding faction per kommentar
);

-- A turn is one stretch in which one person holds the floor: the main speaker of a speech, a
-- member asking a Zwischenfrage, the chair, or a member speaking outside a <rede> (question time).
CREATE TABLE turn (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER GENERATED ALWAYS AS (id >> 24) VIRTUAL,
    speech_id   INTEGER,
    role        TEXT NOT NULL CHECK (role IN ('main', 'zwischenfrage', 'chair', 'member')),
    person_id   INTEGER,                -- NULL for the chair: the protocol names it without an id
    name        TEXT NOT NULL,          -- as printed, e.g. "Dr. Alice Weidel", "Vizepräsidentin Petra Pau"
    faction_raw TEXT,                   -- <fraktion> exactly as written (white space normalised)
    faction     TEXT,                   -- canonical label; NULL if absent or unmappable
    role_text   TEXT,                   -- <rolle_lang>: member of the government, Bundesrat, ...
    bdland      TEXT,                   -- <bdland>: member of the Bundesrat
    government  INTEGER NOT NULL DEFAULT 0, -- speaks for the government (a rolle, no fraktion, no bdland)
    recv_faction TEXT                   -- faction credited with reactions to this turn: `faction`, else
                                        -- the master data's faction of person_id on the session date
);

-- part: 'beginn' (sitzungsbeginn), 'top' (tagesordnungspunkt), 'anlage' (annexes), 'ende'.
CREATE TABLE paragraph (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER GENERATED ALWAYS AS (id >> 24) VIRTUAL,
    seq         INTEGER GENERATED ALWAYS AS (id & 16777215) VIRTUAL, -- document order, shared with kommentar.seq
    part        TEXT NOT NULL,
    agenda_item_id INTEGER,
    speech_id   INTEGER,
    turn_id     INTEGER,                -- who held the floor
    klasse      TEXT,                   -- J_1, J, O, Z, T_*, redner, ...; 'name' for a <name> line
    text        TEXT NOT NULL
);

CREATE TABLE kommentar (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER GENERATED ALWAYS AS (id >> 24) VIRTUAL,
    seq         INTEGER GENERATED ALWAYS AS (id & 16777215) VIRTUAL, -- document order, shared with paragraph.seq
    part        TEXT NOT NULL,
    agenda_item_id INTEGER,
    speech_id   INTEGER,                -- the <rede> it is printed in
    turn_id     INTEGER,                -- who received it: the floor holder, or the next speaker for
                                        -- applause that follows the chair's announcement
    text        TEXT NOT NULL           -- joined text, white space collapsed
);

-- What a kommentar says, one row per reaction (DESIGN.md section 2).
CREATE TABLE reaction (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER GENERATED ALWAYS AS (id >> 24) VIRTUAL,
    kommentar_id INTEGER NOT NULL,
    kind        TEXT NOT NULL,          -- beifall zuruf heiterkeit lachen widerspruch zustimmung unruhe
    scope       TEXT NOT NULL,          -- full partial individual
    faction     TEXT NOT NULL,          -- canonical, '*' for the whole house, '' for none
    person      TEXT NOT NULL           -- '' unless scope = individual
);

-- Derived per session when it is stored (and rebuilt when the master data changes): counts that
-- the matrices sum. One count per kommentar, kind and giving faction ('*' expanded to the factions
-- seated that day); where a faction appears with several scopes in one kommentar the broadest counts.
CREATE TABLE tally (
    session_id  INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    scope       TEXT NOT NULL,
    giver       TEXT NOT NULL,
    receiver    TEXT NOT NULL,          -- turn.recv_faction, '' if unknown
    role        TEXT NOT NULL,          -- turn.role of the receiver
    government  INTEGER NOT NULL,
    n           INTEGER NOT NULL
);
CREATE INDEX tally_session ON tally(session_id);

-- Applause per speech and giving faction (top-speeches), same counting rule.
CREATE TABLE speech_tally (
    session_id  INTEGER NOT NULL,
    speech_id   INTEGER NOT NULL,
    giver       TEXT NOT NULL,
    scope       TEXT NOT NULL,
    n           INTEGER NOT NULL
);
CREATE INDEX speech_tally_session ON speech_tally(session_id);
CREATE INDEX speech_tally_speech ON speech_tally(speech_id);

-- The members' master data (MdB-Stammdaten): faction membership per Wahlperiode with dates.
CREATE TABLE membership (
    person_id   INTEGER NOT NULL,
    wahlperiode INTEGER NOT NULL,
    faction     TEXT,                   -- canonical, NULL for historic groups
    faction_raw TEXT NOT NULL,          -- INS_LANG
    from_date   TEXT NOT NULL,          -- ISO; the Wahlperiode's bounds where the data gives none
    to_date     TEXT NOT NULL
);
CREATE INDEX membership_person ON membership(person_id, wahlperiode);

-- Imported datasets other than protocols (the master data): content hash to skip unchanged input.
CREATE TABLE dataset (
    name         TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    source       TEXT NOT NULL,
    imported_at  TEXT NOT NULL
) WITHOUT ROWID;
