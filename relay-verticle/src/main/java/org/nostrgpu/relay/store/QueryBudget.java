package org.nostrgpu.relay.store;

import org.sqlite.ProgressHandler;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * The most time one client query statement (a REQ filter's or a COUNT's) may run on a read connection: SQLite calls
 * a progress handler every {@value #STEPS_PER_CHECK} virtual-machine steps while a statement runs, and the handler
 * interrupts the statement (SQLITE_INTERRUPT, the query fails) once it has run longer than the budget.
 *
 * <p>Each read connection has one ({@link CachedConnection}), used only by the reader thread that owns it: a client's
 * statement starts the clock when it is bound ({@link CachedConnection#budgeted}), so every statement of a
 * multi-filter REQ gets the whole budget, a statement kept prepared and run again is timed afresh, reading its rows
 * counts, and idle time between statements does not. A NEG-OPEN's item statement comes with a budget of its own
 * ({@code negentropy-budget-ms}: it reads every matching event, not at most {@code max-limit}). Any other statement
 * the connection prepares stops the clock: the store's own reads (id lookups, loading the known ids at open) are
 * not bounded.
 *
 * <p>This bounds the work one REQ or COUNT can make the relay do, whatever its filters: a query that exceeds it
 * fails and the subscription is closed with a reason ({@link #exceeded(Throwable)} tells that failure apart).
 */
public final class QueryBudget {
    /** A nanoTime read per this many VM steps: a cost too small to measure, a check every few microseconds. */
    static final int STEPS_PER_CHECK = 1_000;
    private static final int SQLITE_INTERRUPT = 9;
    private static final long NOT_TIMING = -1;

    /** No bound: nothing is installed, the clock never runs. */
    static final QueryBudget NONE = new QueryBudget(0);

    /** The budget of a REQ's or COUNT's statements; a statement may be given another ({@link #start(long)}). */
    private final long budgetNanos;
    /** When the client statement now running was bound; NOT_TIMING while the store's own statements run. */
    private long startedNanos = NOT_TIMING;
    /** The budget of the client statement now running. */
    private long runningBudgetNanos;

    private QueryBudget(long budgetNanos) {
        this.budgetNanos = budgetNanos;
    }

    /**
     * A budget of {@code budgetMillis} (0: none) for queries on a sqlite-jdbc connection, as its progress handler;
     * installed even without a default budget, since a statement may come with its own ({@link #start(long)}).
     */
    static QueryBudget install(Connection connection, long budgetMillis) throws SQLException {
        QueryBudget budget = new QueryBudget(TimeUnit.MILLISECONDS.toNanos(budgetMillis));
        ProgressHandler.setHandler(connection, STEPS_PER_CHECK, new ProgressHandler() {
            @Override
            protected int progress() {
                return budget.over() ? 1 : 0;
            }
        });
        return budget;
    }

    /** The statement about to run is a client's query: timed from now against the default budget. */
    void start() {
        startNanos(budgetNanos);
    }

    /** The statement about to run is a client's, with a budget of its own (0: none): timed from now. */
    void start(long budgetMillis) {
        startNanos(TimeUnit.MILLISECONDS.toNanos(budgetMillis));
    }

    private void startNanos(long nanos) {
        if (this == NONE || nanos <= 0) {
            startedNanos = NOT_TIMING;
            return;
        }
        runningBudgetNanos = nanos;
        startedNanos = System.nanoTime();
    }

    /** The statements that follow are the store's own: not bounded. */
    void stop() {
        startedNanos = NOT_TIMING;
    }

    /** Called by SQLite on the connection's thread while a statement runs. */
    private boolean over() {
        return startedNanos != NOT_TIMING && System.nanoTime() - startedNanos > runningBudgetNanos;
    }

    /** True when a query failed because it ran past its budget. */
    public static boolean exceeded(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && (sql.getErrorCode() == SQLITE_INTERRUPT
                    || String.valueOf(sql.getMessage()).contains("SQLITE_INTERRUPT"))) {
                return true;
            }
        }
        return false;
    }
}
