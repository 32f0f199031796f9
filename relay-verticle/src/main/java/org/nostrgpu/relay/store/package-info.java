/**
 * The relay's event storage: SQLite (WAL) through sqlite-jdbc, one group-committing writer thread and reader threads,
 * each owning its connection ({@link org.nostrgpu.relay.store.SqliteEventStore},
 * {@link org.nostrgpu.relay.store.SqliteThreads}).
 *
 * <h2>Schema (version 4, {@code schema.sql}; version 2 and 3 databases are migrated by {@code migrate-2-to-3.sql}
 * and {@code migrate-3-to-4.sql})</h2>
 * Ids and pubkeys are 32-byte BLOBs, not 64-character hex text; a tag value of exactly 64 lowercase hex characters
 * is stored as its 32 bytes and any other value as text ({@code StoredValues}). The mapping is one-to-one and SQLite
 * never finds a BLOB equal to a TEXT, so every comparison is still exact string equality, and lowercase hex sorts
 * like its bytes, so "created_at DESC, id ASC" is unchanged. A database of another schema version is refused at open
 * (version 1 was never released: start with a fresh data directory). Every index a REQ walks ends with
 * (created_at DESC, id), NIP-01's answer order, so a REQ reads its events in order and stops at its limit.
 *
 * <p>Pages are 4 KiB (set on the empty file before the first table; schema 2 used 16 KiB and a migrated database
 * keeps its size): index keys are random (ids, tag values), so each stored event dirties about one page of each
 * such index, and every dirty page is written to the WAL once per commit and once more by the next checkpoint. A
 * group commit of a few hundred events into an index of thousands of pages shares few of them, so the bytes written
 * per event follow the page size (smaller pages: fewer bytes and less CPU per event). The WAL checkpoints at 256 MiB
 * instead of SQLite's 4 MiB: commits between two checkpoints that dirty the same hot index page pay for one copy
 * into the database file.
 *
 * <h2>Why each index exists</h2>
 * <ul>
 *   <li>{@code events.seq} (rowid): the events table itself, appended in seq order; tags refer to it.</li>
 *   <li>{@code UNIQUE (id)}: REQ by ids, the duplicate check of an EVENT whose id the known-id Bloom filter
 *       ({@code KnownIds}) may hold (one query per batch of lookups; new ids are answered by the filter alone) and the
 *       INSERT's conflict target.</li>
 *   <li>{@code events_by_author (pubkey, created_at DESC, id)}: REQ by authors, newest first, optionally with
 *       since/until.</li>
 *   <li>{@code events_by_author_kind (pubkey, kind, created_at DESC, id)}: REQ by authors and kinds (an author's notes,
 *       reactions, articles) without walking the author's other kinds.</li>
 *   <li>{@code events_by_kind (kind, created_at DESC, id)}: REQ by kinds (global feed of one kind).</li>
 *   <li>{@code events_by_time (created_at DESC, id)}: REQ with only since/until/limit.</li>
 *   <li>{@code events_by_address (kind, pubkey, d_tag)}, partial (replaceable/addressable rows only): the
 *       newest-version check and NIP-09 deletion by address; regular events pay nothing for it.</li>
 *   <li>{@code events_by_expiration}, partial: NIP-40 garbage collection; only events with an expiration tag.</li>
 *   <li>{@code tags} primary key {@code (name, value, created_at DESC, event_id)} (WITHOUT ROWID): one row per
 *       distinct single-letter tag with a value, carrying the event's kind; {@code #e/#p/#t/#d...} filters walk it
 *       in answer order, narrowed by time and kind inside the key.</li>
 *   <li>No index by event for the tag rows (schema 3 had {@code tags_by_event}): the trigger that deletes an event's
 *       tag rows reads its tags from the JSON and deletes them by key, and a tag condition on an event another index
 *       found looks up (name, value, created_at, event_id). Dropping it took one B-tree insert per tag row off every
 *       write and 12 % off the database's size; the write CPU did not change measurably (bench/RESULTS.md).</li>
 *   <li>{@code deleted_ids}, {@code deleted_addresses}: NIP-09 tombstones, keyed as they are looked up.</li>
 * </ul>
 *
 * <h2>Reading</h2>
 * {@link org.nostrgpu.relay.store.FilterSql} picks one condition to drive each filter (ids, a tag, authors, kinds,
 * or time) and names the index it walks, so the plan does not depend on the planner's statistics; a set of values
 * becomes one branch per value merged by SQLite in order under one LIMIT. {@code FilterSqlPlanTest} checks every
 * shape's {@code EXPLAIN QUERY PLAN} for table scans and sorts. The statements run on reader threads owning their
 * sqlite-jdbc connection and their prepared statements; rows come back as the JSON's UTF-8 bytes
 * ({@link org.nostrgpu.relay.store.StoredEvents}), which the connection puts behind the subscription's frame prefix
 * and writes from the reader thread. Several filters (or a driving set cut into groups of 64) are merged in Java.
 * Each statement of a client's REQ or COUNT is timed against the {@link org.nostrgpu.relay.store.QueryBudget}
 * (a progress handler on the reader's connection interrupts it past {@code query-budget-ms}); the store's own reads
 * (id lookups, the known ids at open) are not. Which REQs get a reader, and in what order, is the connections'
 * business ({@code FairQueries}: round-robin by client address, one read connection per query). A NEG-OPEN's items
 * ({@code negentropyItems}) are read the same way, with the statement timed against {@code negentropy-budget-ms}.
 *
 * <p>Schema 2 answered a REQ with one UNION statement through the Vert.x JDBC client, its JSON joined by
 * group_concat, and sorted whatever its indexes did not give in order: a tag REQ on a million events read every
 * matching row. With one index walk per filter, every shape costs about the same whatever the database's size; ids
 * cost the most (two random B-tree descents per id).
 *
 * <h2>Writing</h2>
 * One thread owns the write connection ({@link org.nostrgpu.relay.store.SqliteThreads}) and runs each group commit
 * start to end ({@link org.nostrgpu.relay.store.WriteTransaction}: BEGIN IMMEDIATE, JDBC batches, COMMIT), with its
 * prepared statements kept. Against the Vert.x JDBC client doing the same statements as a chain of futures, relay CPU
 * per accepted event was within this shared machine's noise; it is kept for one access path shared with the readers
 * and a transaction that reads as straight code. Replicated events reach it in bursts ({@code EventStore#storeAll}).
 * Each transaction numbers its events from the first seq free in the table, read inside it: another process
 * ({@code import}, {@code sync}) may append to the same database while the relay runs. Each transaction's size and
 * duration go to {@link org.nostrgpu.relay.store.SqliteEventStore#observeWrites} ({@code StoreMetrics}).
 *
 * <p>Each event inserts into twelve B-trees; the id index and the tag values are keyed randomly, so each dirties its
 * own page once the index is much larger than a group: that cost per event does not shrink with tuning. Getting the
 * writer much cheaper needs fewer random-key inserts per event, e.g. a small "recent" partition whose indexes stay in
 * a few pages, merged into the main tables in large sorted runs (LSM style), which every query would then also read.
 *
 * <h2>Bulk loading</h2>
 * A database created by {@code import} ({@link org.nostrgpu.relay.store.SqliteEventStore#openForBulkLoad}) is
 * loaded without the indexes only REQs walk: its tag rows go to a table keyed by the append-only event seq, and at the
 * end the tag rows are inserted into {@code tags} in key order and the indexes are built, each with one sort
 * ({@link org.nostrgpu.relay.store.DeferredIndexes}). The unique id index (duplicates), the address index (versions,
 * deletions by address) and the tombstones stay, so every write has its normal outcome. Every open of the file
 * finishes a load that did not (killed import, relay started meanwhile) in one transaction; an existing database
 * is always written the normal way, since a relay may be serving it.
 *
 * <p>The measurements behind these choices (ingest and query figures, before and after, with their commands and
 * dates) are in {@code bench/RESULTS.md}; {@code org.nostrgpu.bench.store.StoreBenchmark} measures this package alone
 * and {@code bench/relay-core-bench.sh} the relay around it.
 */
package org.nostrgpu.relay.store;
