package org.nostrgpu.relay.store;

import org.sqlite.ProgressHandler;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * The most time one statement on a read connection may run: SQLite calls a progress handler every
 * {@value #STEPS_PER_CHECK} virtual-machine steps while a statement runs, and the handler interrupts the statement
 * (SQLITE_INTERRUPT, the query fails) once it has run longer than the budget since it was executed. Statements are
 * timed from each {@code execute*} call on the connection, seen through JDBC proxies, so a statement the pool keeps
 * prepared and runs again is timed afresh; reading its rows counts, idle time between statements does not.
 *
 * <p>This bounds the work one REQ or COUNT can make the relay do, whatever its filters: a query that exceeds it
 * fails and the subscription is closed with a reason ({@link #exceeded(Throwable)} tells that failure apart).
 */
public final class QueryBudget {
    /** A nanoTime read per this many VM steps: a cost too small to measure, a check every few microseconds. */
    static final int STEPS_PER_CHECK = 1_000;
    private static final int SQLITE_INTERRUPT = 9;

    private QueryBudget() {
    }

    /** Read connections from {@code delegate} whose statements are interrupted past {@code budgetMillis}. */
    static DataSource limit(DataSource delegate, long budgetMillis) {
        return new BudgetedDataSource(delegate, TimeUnit.MILLISECONDS.toNanos(budgetMillis));
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

    /** The start of the statement running on one connection; written by the caller's thread, read by SQLite's. */
    private static final class StatementClock {
        private volatile long startedNanos;

        void started() {
            startedNanos = System.nanoTime();
        }

        boolean over(long budgetNanos) {
            return System.nanoTime() - startedNanos > budgetNanos;
        }
    }

    private static final class BudgetedDataSource implements DataSource {
        private final DataSource delegate;
        private final long budgetNanos;

        BudgetedDataSource(DataSource delegate, long budgetNanos) {
            this.delegate = delegate;
            this.budgetNanos = budgetNanos;
        }

        @Override
        public Connection getConnection() throws SQLException {
            return budgeted(delegate.getConnection());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return budgeted(delegate.getConnection(username, password));
        }

        private Connection budgeted(Connection connection) throws SQLException {
            StatementClock clock = new StatementClock();
            ProgressHandler.setHandler(connection, STEPS_PER_CHECK, new ProgressHandler() {
                @Override
                protected int progress() {
                    return clock.over(budgetNanos) ? 1 : 0;
                }
            });
            return proxy(Connection.class, connection, (target, method, args) -> {
                Object result = invoke(target, method, args);
                return result instanceof Statement statement && method.getName().endsWith("Statement")
                        ? proxy(statementInterface(statement), statement, (s, m, a) -> {
                            if (m.getName().startsWith("execute")) {
                                clock.started();
                            }
                            return invoke(s, m, a);
                        })
                        : result;
            });
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        /** Part of the DataSource interface, not logging: the product logs through System.Logger. */
        @Override
        public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return delegate.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return delegate.isWrapperFor(type);
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Statement> statementInterface(Statement statement) {
        if (statement instanceof java.sql.CallableStatement) {
            return java.sql.CallableStatement.class;
        }
        return statement instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : Statement.class;
    }

    /** The target method, with its own exception rather than the reflection wrapper. */
    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<? extends T> type, T target, Handler handler) {
        InvocationHandler invocation = (proxy, method, args) -> handler.handle(target, method, args);
        return (T) Proxy.newProxyInstance(QueryBudget.class.getClassLoader(), new Class<?>[]{type}, invocation);
    }

    @FunctionalInterface
    private interface Handler {
        Object handle(Object target, Method method, Object[] args) throws Throwable;
    }
}
