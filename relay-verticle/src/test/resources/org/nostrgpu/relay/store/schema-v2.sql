-- Schema version 2 of the relay's event store. Applied once to an empty database (PRAGMA user_version = 0),
-- then user_version is set to 2. Statements are separated by a line holding only ";".
--
-- Ids and pubkeys are stored as their 32 bytes (BLOB), not as 64 hex characters: index keys half the size mean
-- fewer B-tree pages, and so fewer pages dirtied per group commit, which is what ingest pays for. Lowercase hex
-- and byte order sort alike, so "ORDER BY id" is unchanged. Why each index exists: see package-info.java.

-- One row per stored event. seq (the rowid) is assigned by the single writer; json is the canonical event object
-- served as is. d_tag: NULL for regular events, '' for replaceable ones, the first d tag value (or '') for
-- addressable ones, so (kind, pubkey, d_tag) is the replaceable/addressable key.
CREATE TABLE events (
    seq        INTEGER PRIMARY KEY,
    id         BLOB    NOT NULL UNIQUE,
    pubkey     BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    kind       INTEGER NOT NULL,
    d_tag      TEXT,
    expiration INTEGER,
    json       TEXT    NOT NULL
)
;
-- REQ by author (optionally with since/until), newest first.
CREATE INDEX events_by_author ON events (pubkey, created_at)
;
-- REQ by author and kind (an author's notes, reactions, articles...).
CREATE INDEX events_by_author_kind ON events (pubkey, kind, created_at)
;
-- REQ by kind (global feeds of one kind).
CREATE INDEX events_by_kind ON events (kind, created_at)
;
-- REQ with only since/until/limit (global feed).
CREATE INDEX events_by_time ON events (created_at)
;
-- The replaceable/addressable key; only those rows carry a d_tag.
CREATE INDEX events_by_address ON events (kind, pubkey, d_tag) WHERE d_tag IS NOT NULL
;
-- NIP-40 garbage collection.
CREATE INDEX events_by_expiration ON events (expiration) WHERE expiration IS NOT NULL
;
-- Single-letter tags with a value (name = tag[0] of length 1, value = tag[1]); one row per distinct (name, value)
-- of an event. A value of exactly 64 lowercase hex characters (e, p and most other references) is stored as its
-- 32 bytes, any other value as TEXT; the mapping is one-to-one and a BLOB never equals a TEXT, so matching stays
-- exact string equality. The column is declared BLOB because that affinity converts nothing (TEXT or NUMERIC
-- affinity could turn '1e2' into 100.0). created_at and kind are copied from the event so tag queries can be
-- answered from the index.
CREATE TABLE tags (
    event_seq  INTEGER NOT NULL REFERENCES events (seq) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    value      BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    kind       INTEGER NOT NULL,
    PRIMARY KEY (event_seq, name, value)
) WITHOUT ROWID
;
CREATE INDEX tags_by_value ON tags (name, value, created_at, kind)
;
-- NIP-09 deletions by id: (id, pubkey of the deletion's author). Blocks that id when it is signed by that pubkey.
-- confirmed = 1 once the id is known to be that author's event (it was deleted here, or refused later);
-- only confirmed rows make isKnown() true, so a deletion naming someone else's id never hides it.
CREATE TABLE deleted_ids (
    id        BLOB    NOT NULL,
    pubkey    BLOB    NOT NULL,
    confirmed INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (id, pubkey)
) WITHOUT ROWID
;
-- NIP-09 deletions by address ("kind:pubkey:d"): versions with created_at <= deleted_until are refused.
CREATE TABLE deleted_addresses (
    kind          INTEGER NOT NULL,
    pubkey        BLOB    NOT NULL,
    d_tag         TEXT    NOT NULL,
    deleted_until INTEGER NOT NULL,
    PRIMARY KEY (kind, pubkey, d_tag)
) WITHOUT ROWID
;
