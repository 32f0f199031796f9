package org.nostrgpu.relay.bulk;

import org.nostrgpu.common.event.EventParser;
import org.nostrgpu.common.event.InvalidEventException;
import org.nostrgpu.common.filter.Filter;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Writes stored events as JSON lines (the stored canonical JSON, one event per line), oldest first: created_at
 * ascending, then id ascending, so two databases holding the same set export the same bytes. Rows are streamed
 * from one read-only statement, so memory stays constant whatever the database size; expired events (NIP-40) are
 * left out, as queries leave them out.
 */
public final class EventExporter {
    /** since/until narrow the scan in SQL; the other conditions are checked on each event. */
    private static final String SELECT = """
            SELECT json FROM events
            WHERE created_at >= ?1 AND created_at <= ?2 AND (expiration IS NULL OR expiration > ?3)
            ORDER BY created_at, id""";

    private EventExporter() {
    }

    /**
     * @param filter     which events; {@code limit} must be absent (an export has no natural "newest N")
     * @param nowSeconds events expired at this time are left out
     * @return the number of events written
     */
    public static long export(Path databaseFile, Filter filter, long nowSeconds, Writer out)
            throws SQLException, IOException {
        if (filter.limit() != null) {
            throw new IllegalArgumentException("export takes no limit: narrow it with since/until instead");
        }
        if (filter.matchesNothing()) {
            return 0;
        }
        boolean checkEach = filter.ids() != null || filter.authors() != null || filter.kinds() != null
                || filter.tagValues() != null;
        long written = 0;
        try (Connection connection = ReadOnlyDatabase.open(databaseFile);
             PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setLong(1, filter.since() == null ? 0 : filter.since());
            select.setLong(2, filter.until() == null ? Long.MAX_VALUE : filter.until());
            select.setLong(3, nowSeconds);
            select.setFetchSize(1_000);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String json = rows.getString(1);
                    if (checkEach && !filter.matches(parseStored(json))) {
                        continue;
                    }
                    out.write(json);
                    out.write('\n');
                    written++;
                }
            }
        }
        out.flush();
        return written;
    }

    private static org.nostrgpu.common.event.Event parseStored(String json) {
        try {
            return EventParser.parse(json);
        } catch (InvalidEventException e) {
            throw new IllegalStateException("stored event is not valid: " + e.getMessage(), e);
        }
    }
}
