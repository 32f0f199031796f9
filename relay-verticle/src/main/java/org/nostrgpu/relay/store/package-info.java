/**
 * The relay's event storage: SQLite (WAL) through the Vert.x JDBC client, one group-committing writer and a pool of
 * read-only connections ({@link org.nostrgpu.relay.store.SqliteEventStore}).
 *
 * <h2>Schema (version 2, {@code schema.sql})</h2>
 * Ids and pubkeys are 32-byte BLOBs, not 64-character hex text; a tag value of exactly 64 lowercase hex characters
 * is stored as its 32 bytes and any other value as text ({@code StoredValues}). The mapping is one-to-one and SQLite
 * never finds a BLOB equal to a TEXT, so every comparison is still exact string equality, and lowercase hex sorts
 * like its bytes, so "created_at DESC, id ASC" is unchanged. A database of another schema version is refused at open
 * (version 1 was never released: start with a fresh data directory).
 *
 * <p>Pages are 16 KiB (set on the empty file before the first table): index keys are random (ids, pubkeys, tag
 * values), so each stored event dirties about one page of each such index, and every dirty page is written to the
 * WAL once per commit and once more by the next checkpoint. Fewer, bigger pages per index mean a group commit shares
 * more of them; the WAL checkpoints at 256 MiB instead of SQLite's 4 MiB for the same reason (commits between two
 * checkpoints that dirty the same hot index page pay for one copy into the database file).
 *
 * <h2>Why each index exists</h2>
 * <ul>
 *   <li>{@code events.seq} (rowid): the events table itself, appended in seq order; tags refer to it.</li>
 *   <li>{@code UNIQUE (id)}: REQ by ids, the duplicate check of an EVENT whose id the known-id Bloom filter
 *       ({@code KnownIds}) may hold (one query per batch of lookups; new ids are answered by the filter alone) and the
 *       INSERT's conflict target.</li>
 *   <li>{@code events_by_author (pubkey, created_at)}: REQ by authors, newest first, optionally with since/until.</li>
 *   <li>{@code events_by_author_kind (pubkey, kind, created_at)}: REQ by authors and kinds (an author's notes,
 *       reactions, articles) without walking the author's other kinds.</li>
 *   <li>{@code events_by_kind (kind, created_at)}: REQ by kinds (global feed of one kind).</li>
 *   <li>{@code events_by_time (created_at)}: REQ with only since/until/limit.</li>
 *   <li>{@code events_by_address (kind, pubkey, d_tag)}, partial (replaceable/addressable rows only): the
 *       newest-version check and NIP-09 deletion by address; regular events pay nothing for it.</li>
 *   <li>{@code events_by_expiration}, partial: NIP-40 garbage collection; only events with an expiration tag.</li>
 *   <li>{@code tags} primary key {@code (event_seq, name, value)}: one row per distinct single-letter tag with a
 *       value; lets the cascade remove an event's tags.</li>
 *   <li>{@code tags_by_value (name, value, created_at, kind)}: {@code #e/#p/#t/#d...} filters, narrowed by time and
 *       kind inside the index.</li>
 *   <li>{@code deleted_ids}, {@code deleted_addresses}: NIP-09 tombstones, keyed as they are looked up.</li>
 * </ul>
 *
 * <h2>Reading</h2>
 * A REQ is one statement returning one row: each filter's newest events in a sub-select with its own ORDER BY and
 * LIMIT, the filters combined by UNION (an event matched twice is returned once), and the JSON of the result joined
 * by SQLite with line feeds ({@code group_concat(json, char(10) ORDER BY created_at DESC, id)}; canonical JSON never
 * holds a raw line feed). Returning one row per event cost more in the JDBC client (column metadata, conversions,
 * a Row per event) than SQLite spent on the query.
 *
 * <p>The measurements behind these choices (ingest and query figures, before and after, with their commands and
 * dates) are in {@code bench/RESULTS.md}; {@code org.nostrgpu.bench.store.StoreBenchmark} measures this package alone.
 */
package org.nostrgpu.relay.store;
