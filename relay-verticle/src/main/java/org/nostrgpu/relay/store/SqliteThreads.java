package org.nostrgpu.relay.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import org.sqlite.SQLiteDataSource;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Threads that each own one sqlite-jdbc connection ({@link CachedConnection}) and take work from one queue: the
 * store's readers (a few, read-only) and its writer (one). sqlite-jdbc is called directly rather than through the
 * Vert.x JDBC client: a REQ or a group commit is then one hand-off to a thread that runs it start to end,
 * statements are prepared once per connection, and rows are read as the bytes SQLite holds, without the client's
 * per-call futures and per-row objects (package-info has the figures).
 *
 * <p>A future returned by {@link #submit} completes <em>on the SQLite thread</em>; callers that need their own
 * context move there themselves (the REQ path does not: it writes its frames from there).
 */
final class SqliteThreads {
    private static final System.Logger LOG = System.getLogger(SqliteThreads.class.getName());

    /** Work for one connection; runs on the thread that owns it. */
    interface Work<T> {
        T run(CachedConnection connection) throws SQLException;
    }

    /** A queued piece of work: run on a reader's connection, or failed when the readers close first. */
    private interface Task {
        void run(CachedConnection connection);

        void fail(Throwable failure);
    }

    private static final Task STOP = new Task() {
        @Override
        public void run(CachedConnection connection) {
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
    /** Why a thread could not open its connection; what the work left queued fails with once no thread runs. */
    private SQLException openFailure;

    /**
     * @param name    thread names are this and a number
     * @param count   threads, each with its own connection
     * @param source  opens the connections
     */
    SqliteThreads(String name, int count, SQLiteDataSource source) {
        this(name, count, source, CachedConnection::new);
    }

    /**
     * Threads serving clients' queries.
     *
     * @param queryBudgetMillis the {@link QueryBudget} of each connection's clients' statements; 0 for none
     */
    SqliteThreads(String name, int count, SQLiteDataSource source, long queryBudgetMillis) {
        this(name, count, source, connection -> new CachedConnection(connection, queryBudgetMillis));
    }

    private interface Opener {
        CachedConnection open(java.sql.Connection connection) throws SQLException;
    }

    private SqliteThreads(String name, int count, SQLiteDataSource source, Opener opener) {
        running = count;
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(() -> serve(source, opener), name + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Runs the work on the next free thread; fails when the threads are closed or the work throws. */
    <T> Future<T> submit(Work<T> work) {
        Promise<T> promise = Promise.promise();
        Task task = new Task() {
            @Override
            public void run(CachedConnection connection) {
                T result;
                try {
                    result = work.run(connection);
                } catch (SQLException e) {
                    connection.closeStatements(); // one of them may have been closed by the failure
                    promise.fail(e);
                    return;
                } catch (RuntimeException | Error e) {
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
                return Future.failedFuture(running == 0 && openFailure != null ? openFailure
                        : new IllegalStateException("event store is closed"));
            }
            queue.add(task);
        }
        return promise.future();
    }

    private void serve(SQLiteDataSource source, Opener opener) {
        CachedConnection connection = null;
        try {
            connection = opener.open(source.getConnection());
            while (true) {
                Task task = queue.take();
                if (task == STOP) {
                    break;
                }
                task.run(connection);
            }
        } catch (SQLException e) {
            openFailed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (connection != null) {
                connection.close();
            }
            threadStopped();
        }
    }

    private synchronized void openFailed(SQLException e) {
        if (openFailure == null) {
            openFailure = e;
        }
        if (running > 1) {
            // the other threads serve the work; with none left, the work itself fails with this reason
            LOG.log(System.Logger.Level.WARNING, "could not open a database connection", e);
        }
    }

    private synchronized void threadStopped() {
        if (--running == 0) {
            closing = true;
            // work queued after the stop signals is refused, not lost; work no thread could take fails with the reason
            Exception reason = openFailure != null ? openFailure : new IllegalStateException("event store is closed");
            for (Task task = queue.poll(); task != null; task = queue.poll()) {
                task.fail(reason);
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
}
