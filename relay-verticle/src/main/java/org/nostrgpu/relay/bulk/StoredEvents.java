package org.nostrgpu.relay.bulk;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/** Stored events read by id with a read-only connection (blocking), for sending them to another relay. */
public final class StoredEvents {
    private static final int IDS_PER_QUERY = 500;

    private StoredEvents() {
    }

    /** Hands the stored JSON of each id that is stored (and not expired) to {@code onEvent}, in chunks. */
    public static void byIds(Path databaseFile, List<byte[]> ids, long nowSeconds, Consumer<String> onEvent)
            throws SQLException {
        try (Connection connection = ReadOnlyDatabase.open(databaseFile)) {
            for (int start = 0; start < ids.size(); start += IDS_PER_QUERY) {
                List<byte[]> chunk = ids.subList(start, Math.min(ids.size(), start + IDS_PER_QUERY));
                String sql = "SELECT json FROM events WHERE id IN (" + String.join(", ",
                        Collections.nCopies(chunk.size(), "?")) + ") AND (expiration IS NULL OR expiration > ?)";
                try (PreparedStatement select = connection.prepareStatement(sql)) {
                    for (int i = 0; i < chunk.size(); i++) {
                        select.setBytes(i + 1, chunk.get(i));
                    }
                    select.setLong(chunk.size() + 1, nowSeconds);
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            onEvent.accept(rows.getString(1));
                        }
                    }
                }
            }
        }
    }
}
