-- bt database schema, step 2 (user_version 1 -> 2): what 'bt sync' fetched.
-- One row per URL: the validators for conditional requests, and what the body was. Written in
-- the same transaction as the protocol it produced, so a crash never leaves the two apart.
CREATE TABLE fetch (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    content_hash  TEXT NOT NULL,     -- of the body as parsed (see session.content_hash)
    wahlperiode   INTEGER,           -- the protocol it carried; NULL for the master data
    sitzung       INTEGER,
    fetched_at    TEXT NOT NULL      -- UTC
) WITHOUT ROWID;
