package org.nostrgpu.relay.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One sqlite-jdbc connection and the statements prepared on it, owned by one thread ({@link SqliteThreads}):
 * a statement is prepared the first time its SQL is used and kept (least recently used ones closed first). A read
 * connection may have a {@link QueryBudget} for the statements of clients' queries ({@link #budgeted}).
 */
final class CachedConnection {
    private static final System.Logger LOG = System.getLogger(CachedConnection.class.getName());
    /** Prepared statements kept per connection; REQ shapes repeat, so a few hundred cover a relay's traffic. */
    static final int STATEMENT_CACHE = 256;

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

    private final QueryBudget budget;

    CachedConnection(Connection connection) {
        this.connection = connection;
        this.budget = QueryBudget.NONE;
    }

    /**
     * A connection whose clients' statements are interrupted past {@code queryBudgetMillis} (0: no bound) or the
     * budget they come with.
     */
    CachedConnection(Connection connection, long queryBudgetMillis) throws SQLException {
        this.connection = connection;
        this.budget = QueryBudget.install(connection, queryBudgetMillis);
    }

    /** The statement for this SQL, prepared on first use; it runs without the query budget. */
    PreparedStatement prepared(String sql) throws SQLException {
        budget.stop();
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /** The statement for this SQL with the given parameters (byte[], String, Long, Integer or null) bound. */
    PreparedStatement prepared(String sql, List<Object> params) throws SQLException {
        PreparedStatement statement = prepared(sql);
        for (int i = 0; i < params.size(); i++) {
            bind(statement, i + 1, params.get(i));
        }
        return statement;
    }

    /**
     * A client's query: the statement for this SQL with the parameters bound, timed from now against the
     * connection's {@link QueryBudget} until the next statement is prepared.
     */
    PreparedStatement budgeted(String sql, List<Object> params) throws SQLException {
        PreparedStatement statement = prepared(sql, params);
        budget.start();
        return statement;
    }

    /** A client's statement with a budget of its own ({@code budgetMillis}, 0: none) instead of the connection's. */
    PreparedStatement budgeted(String sql, List<Object> params, long budgetMillis) throws SQLException {
        PreparedStatement statement = prepared(sql, params);
        budget.start(budgetMillis);
        return statement;
    }

    /** Runs SQL without parameters or results (transaction control, pragmas, DDL). */
    void execute(String sql) throws SQLException {
        budget.stop();
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A plain statement, for SQL whose results the caller reads (pragmas); the caller closes it. */
    Statement createStatement() throws SQLException {
        budget.stop();
        return connection.createStatement();
    }

    /** The first column of the first row of a query without parameters. */
    long queryLong(String sql) throws SQLException {
        budget.stop();
        try (Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
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

    /**
     * Closes every kept statement; they are prepared again when next used. sqlite-jdbc closes a statement whose
     * execution failed (interrupted by the {@link QueryBudget}, a full disk), and one kept after that would fail every
     * later use with "statement is not executing": after a failure nothing is kept.
     */
    void closeStatements() {
        statements.values().forEach(CachedConnection::closeQuietly);
        statements.clear();
    }

    void close() {
        closeStatements();
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "could not close a database connection", e);
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
