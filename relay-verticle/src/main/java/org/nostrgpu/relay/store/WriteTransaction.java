package org.nostrgpu.relay.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Stores one group of events inside one open transaction, giving the same outcome for each event as storing
 * them one by one in order.
 *
 * <p>The group is cut into runs, each ending after a deletion request (kind 5), before a second version of an
 * address already in the run, or at the group's end. Within a run no event can change the outcome of another, so
 * a run costs a few batched statements whatever its size: insert the events (the INSERT itself refuses
 * duplicates, deleted ids and addresses, and versions older than the stored one), insert the tags of those
 * stored, drop the older versions of replaceable/addressable events just stored, ask SQLite why the refused ones
 * were refused, and finally apply the run's deletion request, so later runs see its effects.
 */
final class WriteTransaction {
    private final SqlConnection connection;
    private final List<EventRow> rows;
    private final StoreOutcome[] outcomes;

    WriteTransaction(SqlConnection connection, List<EventRow> rows) {
        this.connection = connection;
        this.rows = rows;
        this.outcomes = new StoreOutcome[rows.size()];
    }

    Future<List<StoreOutcome>> run() {
        Future<Void> chain = Future.succeededFuture();
        List<Integer> run = new ArrayList<>();
        Set<List<Object>> addressesInRun = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            EventRow row = rows.get(i);
            if (row.isReplaceable() && !addressesInRun.add(address(row))) {
                chain = then(chain, run);
                run = new ArrayList<>();
                addressesInRun.clear();
                addressesInRun.add(address(row));
            }
            run.add(i);
            if (row.isDeletion()) {
                chain = then(chain, run);
                run = new ArrayList<>();
                addressesInRun.clear();
            }
        }
        if (!run.isEmpty()) {
            chain = then(chain, run);
        }
        return chain.map(v -> List.of(outcomes));
    }

    private Future<Void> then(Future<Void> chain, List<Integer> run) {
        return chain.compose(v -> storeRun(run));
    }

    private static List<Object> address(EventRow row) {
        return List.of(row.event().kind(), row.event().pubkey(), row.dTag());
    }

    private Future<Void> storeRun(List<Integer> run) {
        List<Tuple> inserts = new ArrayList<>(run.size());
        for (int index : run) {
            inserts.add(rows.get(index).insertParams());
        }
        return connection.preparedQuery(WriteSql.INSERT_EVENT).executeBatch(inserts).compose(result -> {
            List<Integer> counts = BatchCounts.of(result);
            List<Integer> stored = new ArrayList<>();
            List<Integer> refused = new ArrayList<>();
            for (int i = 0; i < run.size(); i++) {
                (counts.get(i) == 1 ? stored : refused).add(run.get(i));
            }
            stored.forEach(index -> outcomes[index] = StoreOutcome.STORED);
            return insertTags(stored)
                    .compose(v -> dropOlderVersions(stored))
                    .compose(v -> classifyRefused(refused))
                    .compose(v -> applyDeletionEndingRun(run.get(run.size() - 1)));
        });
    }

    private Future<Void> insertTags(List<Integer> stored) {
        List<Tuple> tags = new ArrayList<>();
        for (int index : stored) {
            tags.addAll(rows.get(index).tagParams());
        }
        return executeBatch(WriteSql.INSERT_TAG, tags);
    }

    private Future<Void> dropOlderVersions(List<Integer> stored) {
        Set<List<Object>> addresses = new LinkedHashSet<>();
        List<Tuple> params = new ArrayList<>();
        for (int index : stored) {
            EventRow row = rows.get(index);
            if (row.isReplaceable() && addresses.add(address(row))) {
                params.add(row.addressParams());
            }
        }
        return executeBatch(WriteSql.DELETE_OLDER_VERSIONS, params);
    }

    private Future<Void> classifyRefused(List<Integer> refused) {
        if (refused.isEmpty()) {
            return Future.succeededFuture();
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
        return connection.preparedQuery(WriteSql.CLASSIFY_REFUSED).execute(Tuple.of(described.encode())).compose(result -> {
            List<Tuple> confirmations = new ArrayList<>();
            for (Row reason : result) {
                int index = refused.get(reason.getInteger(0));
                EventRow row = rows.get(index);
                if (reason.getInteger(1) == 1) {
                    outcomes[index] = StoreOutcome.DUPLICATE;
                } else if (reason.getInteger(2) == 1) {
                    outcomes[index] = StoreOutcome.DELETED;
                    confirmations.add(Tuple.of(StoredValues.key(row.event().id()), StoredValues.key(row.event().pubkey())));
                } else if (reason.getInteger(3) == 1) {
                    outcomes[index] = StoreOutcome.DELETED;
                } else if (row.isReplaceable()) {
                    outcomes[index] = StoreOutcome.SUPERSEDED;
                } else {
                    return Future.failedFuture(new IllegalStateException(
                            "event " + row.event().id() + " was neither stored nor refused for a known reason"));
                }
            }
            return executeBatch(WriteSql.CONFIRM_DELETED_ID, confirmations);
        });
    }

    private Future<Void> applyDeletionEndingRun(int last) {
        EventRow row = rows.get(last);
        if (!row.isDeletion() || outcomes[last] != StoreOutcome.STORED) {
            return Future.succeededFuture();
        }
        DeletionTargets targets = DeletionTargets.of(row.event());
        byte[] pubkey = StoredValues.key(row.event().pubkey());
        long createdAt = row.event().createdAt();
        List<Tuple> byId = new ArrayList<>();
        for (String id : targets.ids()) {
            byId.add(Tuple.of(StoredValues.key(id), pubkey));
        }
        List<Tuple> byAddress = new ArrayList<>();
        for (DeletionTargets.Address address : targets.addresses()) {
            byAddress.add(Tuple.of(address.kind(), StoredValues.key(address.pubkey()), address.dTag(), createdAt));
        }
        Future<Void> ids = byId.isEmpty() ? Future.succeededFuture()
                : connection.preparedQuery(WriteSql.DELETE_BY_ID).executeBatch(byId).compose(result -> {
                    List<Integer> deleted = BatchCounts.of(result);
                    List<Tuple> tombstones = new ArrayList<>(byId.size());
                    for (int i = 0; i < byId.size(); i++) {
                        tombstones.add(Tuple.of(byId.get(i).getValue(0), pubkey, deleted.get(i) > 0 ? 1 : 0));
                    }
                    return executeBatch(WriteSql.REMEMBER_DELETED_ID, tombstones);
                });
        return ids
                .compose(v -> executeBatch(WriteSql.DELETE_BY_ADDRESS, byAddress))
                .compose(v -> executeBatch(WriteSql.REMEMBER_DELETED_ADDRESS, byAddress));
    }

    private Future<Void> executeBatch(String sql, List<Tuple> params) {
        if (params.isEmpty()) {
            return Future.succeededFuture();
        }
        return connection.preparedQuery(sql).executeBatch(params).mapEmpty();
    }
}
