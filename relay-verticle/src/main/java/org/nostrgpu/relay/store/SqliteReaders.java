package org.nostrgpu.relay.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The store's read path: a few threads, each owning one read-only sqlite-jdbc connection and its prepared
 * statements, taking work from one queue. sqlite-jdbc is called directly rather than through the Vert.x JDBC client:
 * a REQ is then one queue hand-off, statements are prepared once per connection, and rows are read as the bytes
 * SQLite holds, without the client's per-call and per-row objects (package-info has the figures).
 *
 * <p>A future returned by {@link #submit} completes <em>on the reader thread</em>; callers that need their own
 * context move there themselves (the REQ path does not: it writes its frames from there).
 */
final class SqliteReaders {
    private static final System.Logger LOG = System.getLogger(SqliteReaders.class.getName());
    /** Prepared statements kept per connection; REQ shapes repeat, so a few hundred cover a relay's traffic. */
    static final int STATEMENT_CACHE = 256;

    /** Work for one reader connection. */
    interface Work<T> {
        T run(ReadConnection connection) throws SQLException;
    }

    /** A queued piece of work: run on a reader's connection, or failed when the readers close first. */
    private interface Task {
        void run(ReadConnection connection);

        void fail(Throwable failure);
    }

    private static final Task STOP = new Task() {
        @Override
        public void run(ReadConnection connection) {
        }

        @Override
        public void fail(Throwable failure) {
        }
    };

    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Promise<Void> stopped = Promise.promise();
    private boolean closing;
    private int running;

    SqliteReaders(StoreOptions options) {
        running = options.readPoolSize();
        for (int i = 0; i < options.readPoolSize(); i++) {
            Thread thread = new Thread(() -> serve(options), "sqlite-reader-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Runs the work on the next free reader; fails when the readers are closed or the work throws. */
    <T> Future<T> submit(Work<T> work) {
        Promise<T> promise = Promise.promise();
        Task task = new Task() {
            @Override
            public void run(ReadConnection connection) {
                T result;
                try {
                    result = work.run(connection);
                } catch (SQLException | RuntimeException e) {
                    promise.fail(e);
                    return;
                }
                promise.complete(result);
            }

            @Override
            public void fail(Throwable failure) {
                promise.tryFail(failure);
            }
        };
        synchronized (this) {
            if (closing) {
                return Future.failedFuture(new IllegalStateException("event store is closed"));
            }
            queue.add(task);
        }
        return promise.future();
    }

    private void serve(StoreOptions options) {
        ReadConnection connection = null;
        try {
            connection = new ReadConnection(SqliteDataSources.reader(options).getConnection());
            while (true) {
                Task task = queue.take();
                if (task == STOP) {
                    break;
                }
                task.run(connection);
            }
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.ERROR, "could not open a read connection", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (connection != null) {
                connection.close();
            }
            threadStopped();
        }
    }

    private synchronized void threadStopped() {
        if (--running == 0) {
            // work queued after the stop signals (or left by a reader that could not open) is refused, not lost
            IllegalStateException closed = new IllegalStateException("event store is closed");
            for (Task task = queue.poll(); task != null; task = queue.poll()) {
                task.fail(closed);
            }
            stopped.complete();
        }
    }

    /** Lets queued work finish, then closes every connection. */
    Future<Void> close() {
        synchronized (this) {
            closing = true;
            threads.forEach(thread -> queue.add(STOP));
        }
        return stopped.future();
    }

    /** One read-only connection and the statements prepared on it (least recently used ones closed first). */
    static final class ReadConnection {
        private final Connection connection;
        private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                if (size() <= STATEMENT_CACHE) {
                    return false;
                }
                closeQuietly(eldest.getValue());
                return true;
            }
        };

        ReadConnection(Connection connection) {
            this.connection = connection;
        }

        /** The statement for this SQL, prepared on first use, with the given parameters bound. */
        PreparedStatement prepared(String sql, List<Object> params) throws SQLException {
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            for (int i = 0; i < params.size(); i++) {
                bind(statement, i + 1, params.get(i));
            }
            return statement;
        }

        private static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
            if (value instanceof byte[] bytes) {
                statement.setBytes(index, bytes);
            } else if (value instanceof String text) {
                statement.setString(index, text);
            } else if (value instanceof Long number) {
                statement.setLong(index, number);
            } else if (value instanceof Integer number) {
                statement.setInt(index, number);
            } else if (value == null) {
                statement.setNull(index, java.sql.Types.NULL);
            } else {
                throw new IllegalArgumentException("cannot bind " + value.getClass());
            }
        }

        void close() {
            statements.values().forEach(ReadConnection::closeQuietly);
            statements.clear();
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "could not close a read connection", e);
            }
        }

        private static void closeQuietly(PreparedStatement statement) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // the connection closes it anyway
            }
        }
    }
}
