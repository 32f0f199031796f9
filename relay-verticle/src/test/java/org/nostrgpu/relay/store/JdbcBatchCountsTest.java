package org.nostrgpu.relay.store;

import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The write path relies on two properties of Vert.x 5's JDBC client over sqlite-jdbc: executeBatch reports one
 * update count per row (as the rows of ONE row set, each row holding the count; not as chained row sets), and
 * numbered parameters (?1, ?2) may repeat a value.
 */
@ExtendWith(VertxExtension.class)
class JdbcBatchCountsTest {

    @Test
    void executeBatchGivesOneUpdateCountPerRowAndNumberedParametersRepeat(Vertx vertx, @TempDir Path dir) throws Exception {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + dir.resolve("t.sqlite3"));
        Pool pool = JDBCPool.pool(vertx, ds, new PoolOptions().setMaxSize(1));
        try {
            pool.query("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)").execute().await(10, TimeUnit.SECONDS);
            List<Tuple> rows = List.of(Tuple.of("a", 1), Tuple.of("b", 2), Tuple.of("a", 3), Tuple.of("c", 4), Tuple.of("b", 5));
            RowSet<Row> result = pool.preparedQuery(
                    "INSERT INTO t (k, v) SELECT ?1, ?2 WHERE ?2 <> 4 ON CONFLICT (k) DO NOTHING").executeBatch(rows)
                    .await(10, TimeUnit.SECONDS);
            List<Integer> counts = new ArrayList<>();
            for (Row row : result) {
                counts.add(row.getInteger(0));
            }
            assertEquals(List.of(1, 1, 0, 0, 0), counts);
            assertEquals(List.of(1, 1, 0, 0, 0), BatchCounts.of(result));
            assertEquals(2L, (long) pool.query("SELECT count(*) FROM t").execute()
                    .await(10, TimeUnit.SECONDS).iterator().next().getLong(0));
        } finally {
            pool.close().await(10, TimeUnit.SECONDS);
        }
    }
}
