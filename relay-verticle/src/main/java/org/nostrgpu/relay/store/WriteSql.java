package org.nostrgpu.relay.store;

/**
 * The statements of the write path. Numbered parameters (?1, ?2) let one value be used several times. Ids and pubkeys
 * are bound as their 32 bytes ({@link StoredValues#key}).
 */
final class WriteSql {
    private WriteSql() {
    }

    /**
     * Inserts one event unless: its id is stored (conflict); its id was deleted by its author (deletion events
     * are never deleted); or, for a replaceable/addressable event (?6 not null), its address was deleted up to its
     * created_at or a newer version is stored (newer created_at, or same created_at and lower id).
     * Parameters: seq, id, pubkey, created_at, kind, d_tag, expiration, json. Update count 1 = stored.
     */
    static final String INSERT_EVENT = """
            INSERT INTO events (seq, id, pubkey, created_at, kind, d_tag, expiration, json)
            SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8
            WHERE (?5 = 5 OR NOT EXISTS (SELECT 1 FROM deleted_ids t WHERE t.id = ?2 AND t.pubkey = ?3))
              AND (?6 IS NULL OR (
                    NOT EXISTS (SELECT 1 FROM deleted_addresses a
                                WHERE a.kind = ?5 AND a.pubkey = ?3 AND a.d_tag = ?6 AND a.deleted_until >= ?4)
                AND NOT EXISTS (SELECT 1 FROM events v
                                WHERE v.kind = ?5 AND v.pubkey = ?3 AND v.d_tag = ?6
                                  AND (v.created_at > ?4 OR (v.created_at = ?4 AND v.id < ?2)))))
            ON CONFLICT (id) DO NOTHING""";

    /** Parameters: event_seq, name, value, created_at, kind, event_id. */
    static final String INSERT_TAG = """
            INSERT INTO tags (event_seq, name, value, created_at, kind, event_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)""";

    /** Keeps only the newest version of an address (tags go with the events_delete_tags trigger). Parameters: kind, pubkey, d_tag. */
    static final String DELETE_OLDER_VERSIONS = """
            DELETE FROM events
            WHERE kind = ?1 AND pubkey = ?2 AND d_tag = ?3
              AND seq <> (SELECT seq FROM events WHERE kind = ?1 AND pubkey = ?2 AND d_tag = ?3
                          ORDER BY created_at DESC, id ASC LIMIT 1)""";

    /**
     * Why events were not inserted. Parameter: a JSON array of {id, pubkey, kind, created_at, d} (id and pubkey in
     * hex, unhex() gives the stored bytes); one row per element, in order: (index, stored, id deleted, address
     * deleted).
     */
    static final String CLASSIFY_REFUSED = """
            SELECT j.key,
                   EXISTS (SELECT 1 FROM events e WHERE e.id = unhex(j.value ->> 'id')),
                   EXISTS (SELECT 1 FROM deleted_ids t
                           WHERE t.id = unhex(j.value ->> 'id') AND t.pubkey = unhex(j.value ->> 'pubkey')
                             AND j.value ->> 'kind' <> 5),
                   EXISTS (SELECT 1 FROM deleted_addresses a
                           WHERE a.kind = j.value ->> 'kind' AND a.pubkey = unhex(j.value ->> 'pubkey')
                             AND a.d_tag = j.value ->> 'd' AND a.deleted_until >= j.value ->> 'created_at')
            FROM json_each(?1) j
            ORDER BY j.key""";

    /** A deletion id tombstone refused a re-sent event: the id is known to be that author's. Parameters: id, pubkey. */
    static final String CONFIRM_DELETED_ID = """
            UPDATE deleted_ids SET confirmed = 1 WHERE id = ?1 AND pubkey = ?2""";

    /** NIP-09 by id: only the deleter's own events, never deletion events. Parameters: id, pubkey. */
    static final String DELETE_BY_ID = """
            DELETE FROM events WHERE id = ?1 AND pubkey = ?2 AND kind <> 5""";

    /** Parameters: id, pubkey, confirmed (1 when the event was stored here and deleted). */
    static final String REMEMBER_DELETED_ID = """
            INSERT INTO deleted_ids (id, pubkey, confirmed) VALUES (?1, ?2, ?3)
            ON CONFLICT (id, pubkey) DO UPDATE SET confirmed = max(confirmed, excluded.confirmed)""";

    /** NIP-09 by address, versions up to the deletion's created_at. Parameters: kind, pubkey, d_tag, created_at. */
    static final String DELETE_BY_ADDRESS = """
            DELETE FROM events WHERE kind = ?1 AND pubkey = ?2 AND d_tag = ?3 AND created_at <= ?4""";

    /** Parameters: kind, pubkey, d_tag, created_at. */
    static final String REMEMBER_DELETED_ADDRESS = """
            INSERT INTO deleted_addresses (kind, pubkey, d_tag, deleted_until) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (kind, pubkey, d_tag) DO UPDATE SET deleted_until = max(deleted_until, excluded.deleted_until)""";

    /** One chunk of NIP-40 garbage collection. Parameters: now, chunk size. */
    static final String DELETE_EXPIRED_CHUNK = """
            DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE expiration <= ?1 LIMIT ?2)""";
}
