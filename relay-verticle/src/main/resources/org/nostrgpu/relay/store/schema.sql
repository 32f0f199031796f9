-- Schema version 4 of the relay's event store. Applied once to an empty database (PRAGMA user_version = 0),
-- then user_version is set to 4 (a version 2 or 3 database is migrated: Schema.java). Statements are separated by a line holding only ";".
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
-- Every index a REQ walks ends with (created_at DESC, id): walked forward it yields NIP-01's order (newest first,
-- then lowest id) with no sort, and each REQ reads only the entries it returns.
-- REQ by author (optionally with since/until), newest first.
CREATE INDEX events_by_author ON events (pubkey, created_at DESC, id)
;
-- REQ by author and kind (an author's notes, reactions, articles...).
CREATE INDEX events_by_author_kind ON events (pubkey, kind, created_at DESC, id)
;
-- REQ by kind (global feeds of one kind).
CREATE INDEX events_by_kind ON events (kind, created_at DESC, id)
;
-- REQ with only since/until/limit (global feed).
CREATE INDEX events_by_time ON events (created_at DESC, id)
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
-- affinity could turn '1e2' into 100.0). The key ends like the events indexes, (created_at DESC, event_id), so a
-- #x REQ walks its value's rows in NIP-01 order; kind is copied from the event to filter without reading it.
CREATE TABLE tags (
    name       TEXT    NOT NULL,
    value      BLOB    NOT NULL,
    created_at INTEGER NOT NULL,
    event_id   BLOB    NOT NULL,
    kind       INTEGER NOT NULL,
    event_seq  INTEGER NOT NULL,
    PRIMARY KEY (name, value, created_at DESC, event_id)
) WITHOUT ROWID
;
-- An event's tag rows go with it. They are found through the tags key itself: the trigger reads the deleted row's
-- tags from its JSON and maps each value as the writer does (64 lowercase hex characters to their 32 bytes). No
-- second index keyed by the event is kept for this: it cost a B-tree insert per tag row on every write (schema 4).
CREATE TRIGGER events_delete_tags AFTER DELETE ON events
BEGIN
    DELETE FROM tags
    WHERE created_at = old.created_at AND event_id = old.id
      AND (name, value) IN (
          SELECT t.value ->> 0,
                 CASE WHEN length(t.value ->> 1) = 64 AND (t.value ->> 1) NOT GLOB '*[^0-9a-f]*'
                      THEN unhex(t.value ->> 1) ELSE t.value ->> 1 END
          FROM json_each(old.json, '$.tags') t
          WHERE length(t.value ->> 0) = 1 AND json_array_length(t.value) >= 2);
END
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
