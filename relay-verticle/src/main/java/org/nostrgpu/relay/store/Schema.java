package org.nostrgpu.relay.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the schema on an empty database, migrates a version 2 or 3 database to version 4, and refuses databases
 * written by any other schema version. Version 1 (ids as hex text, never released) is not migrated: the operator
 * starts with a fresh data directory.
 */
final class Schema {
    static final int VERSION = 4;
    /** The oldest version this relay migrates. */
    static final int OLDEST_MIGRATED_VERSION = 2;
    /**
     * Page size of a new database. A group commit of a few hundred events dirties about one page of each index keyed
     * by random values (ids, tag values) per event, whatever the page size, and writes each dirty page to the WAL: the
     * smaller the page, the fewer bytes per event. See package-info for the measurements.
     */
    static final int PAGE_SIZE_BYTES = 4_096;
    private static final String RESOURCE = "schema.sql";
    /** {@code MIGRATIONS.get(i)} takes a database from version OLDEST_MIGRATED_VERSION + i to the next. */
    private static final List<String> MIGRATIONS = List.of("migrate-2-to-3.sql", "migrate-3-to-4.sql");
    /**
     * Rows ANALYZE samples per index ({@code PRAGMA analysis_limit}): enough for the planner's choices on the
     * statements that do not name their index, and quick on a database of any size.
     */
    static final int ANALYSIS_LIMIT = 1000;

    private Schema() {
    }

    /**
     * Applies {@code schema.sql} in one transaction when {@code PRAGMA user_version} is 0, migrates versions 2 and 3
     * (every step in one transaction); on the writer's connection.
     *
     * @return whether this call created the schema (the database had none)
     */
    static boolean apply(CachedConnection connection) throws SQLException {
        long version = connection.queryLong("PRAGMA user_version");
        if (version == VERSION) {
            return false;
        }
        if (version > VERSION) {
            throw new IllegalStateException("database schema version " + version
                    + " is newer than this relay supports (" + VERSION + "): run a newer relay");
        }
        if (version >= OLDEST_MIGRATED_VERSION) {
            List<String> steps = new ArrayList<>();
            for (int from = (int) version; from < VERSION; from++) {
                steps.addAll(statements(MIGRATIONS.get(from - OLDEST_MIGRATED_VERSION)));
            }
            inTransaction(connection, steps);
            return false;
        }
        if (version != 0) {
            throw new IllegalStateException("database schema version " + version
                    + " was written by an older development build and cannot be upgraded (expects "
                    + VERSION + "): start the relay with a fresh, empty data directory");
        }
        setPageSize(connection);
        inTransaction(connection, statements());
        return true;
    }

    /**
     * The writer connection opened the empty file in WAL mode, which fixes its page size; an empty database leaves
     * WAL, takes the new size with a (instant) VACUUM, and goes back to WAL.
     */
    private static void setPageSize(CachedConnection connection) throws SQLException {
        connection.execute("PRAGMA journal_mode = DELETE");
        connection.execute("PRAGMA page_size = " + PAGE_SIZE_BYTES);
        connection.execute("VACUUM");
        try (java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery("PRAGMA journal_mode = WAL")) {
            rows.next();
            String mode = rows.getString(1);
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new IllegalStateException("could not switch the database to WAL: " + mode);
            }
        }
    }

    /** Runs the statements and sets the version, all in one transaction. */
    private static void inTransaction(CachedConnection connection, List<String> statements) throws SQLException {
        WriteTransaction.inTransaction(connection, () -> {
            for (String statement : statements) {
                connection.execute(statement);
            }
            connection.execute("PRAGMA user_version = " + VERSION);
            return null;
        });
    }

    /**
     * Gives the planner statistics where they are missing or stale ({@code PRAGMA optimize}, sampling at most
     * {@link #ANALYSIS_LIMIT} rows per index). The REQ statements name their index and do not depend on them; the
     * write path's statements and COUNT do.
     */
    static void refreshStatistics(CachedConnection connection) throws SQLException {
        connection.execute("PRAGMA analysis_limit = " + ANALYSIS_LIMIT);
        connection.execute("PRAGMA optimize = 0x10002");
    }

    /** The statements of the schema. */
    static List<String> statements() {
        return statements(RESOURCE);
    }

    /** The statements of a resource, which separates them with lines holding only ";". */
    static List<String> statements(String resource) {
        String script;
        try (InputStream in = Schema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> statements = new ArrayList<>();
        for (String part : script.split("\\R;\\R")) {
            if (!part.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("--"))) {
                statements.add(part.strip());
            }
        }
        return statements;
    }
}
