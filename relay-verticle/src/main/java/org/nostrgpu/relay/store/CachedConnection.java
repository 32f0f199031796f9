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
 * a statement is prepared the first time its SQL is used and kept (least recently used ones closed first).
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

    CachedConnection(Connection connection) {
        this.connection = connection;
    }

    /** The statement for this SQL, prepared on first use. */
    PreparedStatement prepared(String sql) throws SQLException {
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

    /** Runs SQL without parameters or results (transaction control, pragmas, DDL). */
    void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A plain statement, for SQL whose results the caller reads (pragmas); the caller closes it. */
    Statement createStatement() throws SQLException {
        return connection.createStatement();
    }

    /** The first column of the first row of a query without parameters. */
    long queryLong(String sql) throws SQLException {
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

    void close() {
        statements.values().forEach(CachedConnection::closeQuietly);
        statements.clear();
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
