package org.nostrgpu.relay.store;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-row update counts of a Vert.x 5 JDBC {@code executeBatch}: the client returns one row set whose rows each
 * hold the count of one batch entry (verified by JdbcBatchCountsTest).
 */
final class BatchCounts {
    private BatchCounts() {
    }

    static List<Integer> of(RowSet<Row> batchResult) {
        List<Integer> counts = new ArrayList<>(batchResult.size());
        for (Row row : batchResult) {
            counts.add(row.getInteger(0));
        }
        return counts;
    }
}
