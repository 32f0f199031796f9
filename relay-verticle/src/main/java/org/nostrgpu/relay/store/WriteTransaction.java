package org.nostrgpu.relay.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Stores one group of events inside one transaction on the writer's connection, giving the same outcome for each
 * event as storing them one by one in order.
 *
 * <p>The group is cut into runs, each ending after a deletion request (kind 5), before a second version of an
 * address already in the run, or at the group's end. Within a run no event can change the outcome of another, so
 * a run costs a few batched statements whatever its size: insert the events (the INSERT itself refuses
 * duplicates, deleted ids and addresses, and versions older than the stored one), insert the tags of those
 * stored, drop the older versions of replaceable/addressable events just stored, ask SQLite why the refused ones
 * were refused, and finally apply the run's deletion request, so later runs see its effects.
 */
final class WriteTransaction {
    /** Work inside a transaction. */
    interface Body<T> {
        T run() throws SQLException;
    }

    private final CachedConnection connection;
    private final List<EventRow> rows;
    private final StoreOutcome[] outcomes;

    private WriteTransaction(CachedConnection connection, List<EventRow> rows) {
        this.connection = connection;
        this.rows = rows;
        this.outcomes = new StoreOutcome[rows.size()];
    }

    /** Stores the rows inside the caller's transaction ({@link #inTransaction}); one outcome per row, in order. */
    static List<StoreOutcome> store(CachedConnection connection, List<EventRow> rows) throws SQLException {
        return new WriteTransaction(connection, rows).run();
    }

    /**
     * {@code BEGIN IMMEDIATE ... COMMIT}, or ROLLBACK when the body or the COMMIT fails. IMMEDIATE takes the write
     * lock at BEGIN, so a transaction never fails half-way upgrading a read lock. The connection stays in
     * auto-commit mode between transactions, so statements outside one (GC deletes, checkpoints) commit by themselves.
     */
    static <T> T inTransaction(CachedConnection connection, Body<T> body) throws SQLException {
        connection.execute("BEGIN IMMEDIATE");
        try {
            T result = body.run();
            connection.execute("COMMIT");
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.execute("ROLLBACK");
            } catch (SQLException alreadyRolledBack) {
                // after a failed COMMIT SQLite may already have rolled back; then ROLLBACK fails, harmlessly
                e.addSuppressed(alreadyRolledBack);
            }
            throw e;
        }
    }

    private List<StoreOutcome> run() throws SQLException {
        List<Integer> run = new ArrayList<>();
        Set<List<Object>> addressesInRun = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            EventRow row = rows.get(i);
            if (row.isReplaceable() && !addressesInRun.add(address(row))) {
                storeRun(run);
                run = new ArrayList<>();
                addressesInRun.clear();
                addressesInRun.add(address(row));
            }
            run.add(i);
            if (row.isDeletion()) {
                storeRun(run);
                run = new ArrayList<>();
                addressesInRun.clear();
            }
        }
        if (!run.isEmpty()) {
            storeRun(run);
        }
        return List.of(outcomes);
    }

    private static List<Object> address(EventRow row) {
        return List.of(row.event().kind(), row.event().pubkey(), row.dTag());
    }

    private void storeRun(List<Integer> run) throws SQLException {
        PreparedStatement insert = connection.prepared(WriteSql.INSERT_EVENT);
        for (int index : run) {
            rows.get(index).bindInsert(insert);
            insert.addBatch();
        }
        int[] counts = insert.executeBatch();
        List<Integer> stored = new ArrayList<>();
        List<Integer> refused = new ArrayList<>();
        for (int i = 0; i < run.size(); i++) {
            (counts[i] == 1 ? stored : refused).add(run.get(i));
        }
        stored.forEach(index -> outcomes[index] = StoreOutcome.STORED);
        insertTags(stored);
        dropOlderVersions(stored);
        classifyRefused(refused);
        applyDeletionEndingRun(run.get(run.size() - 1));
    }

    private void insertTags(List<Integer> stored) throws SQLException {
        PreparedStatement insert = null;
        for (int index : stored) {
            EventRow row = rows.get(index);
            if (row.hasTagRows()) {
                insert = insert == null ? connection.prepared(WriteSql.INSERT_TAG) : insert;
                row.addTagBatches(insert);
            }
        }
        if (insert != null) {
            insert.executeBatch();
        }
    }

    private void dropOlderVersions(List<Integer> stored) throws SQLException {
        Set<List<Object>> addresses = new LinkedHashSet<>();
        List<List<Object>> params = new ArrayList<>();
        for (int index : stored) {
            EventRow row = rows.get(index);
            if (row.isReplaceable() && addresses.add(address(row))) {
                params.add(row.addressParams());
            }
        }
        executeBatch(WriteSql.DELETE_OLDER_VERSIONS, params);
    }

    private void classifyRefused(List<Integer> refused) throws SQLException {
        if (refused.isEmpty()) {
            return;
        }
        JsonArray described = new JsonArray();
        for (int index : refused) {
            EventRow row = rows.get(index);
            described.add(new JsonObject()
                    .put("id", row.event().id())
                    .put("pubkey", row.event().pubkey())
                    .put("kind", row.event().kind())
                    .put("created_at", row.event().createdAt())
                    .put("d", row.dTag()));
        }
        List<List<Object>> confirmations = new ArrayList<>();
        try (ResultSet reasons = connection.prepared(WriteSql.CLASSIFY_REFUSED, List.of(described.encode()))
                .executeQuery()) {
            while (reasons.next()) {
                int index = refused.get(reasons.getInt(1));
                EventRow row = rows.get(index);
                if (reasons.getInt(2) == 1) {
                    outcomes[index] = StoreOutcome.DUPLICATE;
                } else if (reasons.getInt(3) == 1) {
                    outcomes[index] = StoreOutcome.DELETED;
                    confirmations.add(List.of(StoredValues.key(row.event().id()), StoredValues.key(row.event().pubkey())));
                } else if (reasons.getInt(4) == 1) {
                    outcomes[index] = StoreOutcome.DELETED;
                } else if (row.isReplaceable()) {
                    outcomes[index] = StoreOutcome.SUPERSEDED;
                } else {
                    throw new IllegalStateException(
                            "event " + row.event().id() + " was neither stored nor refused for a known reason");
                }
            }
        }
        executeBatch(WriteSql.CONFIRM_DELETED_ID, confirmations);
    }

    private void applyDeletionEndingRun(int last) throws SQLException {
        EventRow row = rows.get(last);
        if (!row.isDeletion() || outcomes[last] != StoreOutcome.STORED) {
            return;
        }
        DeletionTargets targets = DeletionTargets.of(row.event());
        byte[] pubkey = StoredValues.key(row.event().pubkey());
        long createdAt = row.event().createdAt();
        if (!targets.ids().isEmpty()) {
            List<List<Object>> byId = new ArrayList<>();
            for (String id : targets.ids()) {
                byId.add(List.of(StoredValues.key(id), pubkey));
            }
            int[] deleted = executeBatch(WriteSql.DELETE_BY_ID, byId);
            List<List<Object>> tombstones = new ArrayList<>(byId.size());
            for (int i = 0; i < byId.size(); i++) {
                tombstones.add(List.of(byId.get(i).get(0), pubkey, deleted[i] > 0 ? 1 : 0));
            }
            executeBatch(WriteSql.REMEMBER_DELETED_ID, tombstones);
        }
        List<List<Object>> byAddress = new ArrayList<>();
        for (DeletionTargets.Address address : targets.addresses()) {
            byAddress.add(List.of(address.kind(), StoredValues.key(address.pubkey()), address.dTag(), createdAt));
        }
        executeBatch(WriteSql.DELETE_BY_ADDRESS, byAddress);
        executeBatch(WriteSql.REMEMBER_DELETED_ADDRESS, byAddress);
    }

    /** One batch execution of the statement, one parameter list per entry; the update count of each. */
    private int[] executeBatch(String sql, List<List<Object>> params) throws SQLException {
        if (params.isEmpty()) {
            return new int[0];
        }
        PreparedStatement statement = connection.prepared(sql);
        for (List<Object> entry : params) {
            for (int i = 0; i < entry.size(); i++) {
                CachedConnection.bind(statement, i + 1, entry.get(i));
            }
            statement.addBatch();
        }
        return statement.executeBatch();
    }
}
