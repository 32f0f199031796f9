package org.nostrgpu.common.verify;

import org.nostrgpu.common.event.Hex;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** BIP-340 test vector files in the format of bitcoin/bips {@code bip-0340/test-vectors.csv}. */
final class Bip340Vectors {
    /** The vectors of the final BIP-340 (even-Y nonce), as published in bitcoin/bips. */
    static final String FINAL = "/bip340-final-test-vectors.csv";
    /**
     * The copy of {@code shared/data/bip340-test-vectors.csv}: an earlier draft of BIP-340 (square-Y nonce,
     * comments say {@code has_square_y}) whose valid signatures the final BIP, libsecp256k1 and Nostr reject.
     */
    static final String SQUARE_Y_DRAFT = "/bip340-test-vectors.csv";

    /**
     * @param secretKey empty for rows that only test verification
     * @param auxRand   empty for rows that only test verification
     */
    record Vector(int index, byte[] secretKey, byte[] auxRand, SignatureCheck check, boolean expectedValid,
                  String comment) {
    }

    /** Every row whose message is 32 bytes, the only length a Nostr event id can have. */
    static List<Vector> withThirtyTwoByteMessages(String resource) {
        List<Vector> vectors = new ArrayList<>();
        for (String[] row : rows(resource)) {
            String message = row[4];
            if (message.length() != 64) {
                continue;
            }
            SignatureCheck check = new SignatureCheck(hex(message), hex(row[2]), hex(row[5]));
            boolean expected = switch (row[6]) {
                case "TRUE" -> true;
                case "FALSE" -> false;
                default -> throw new IllegalStateException("row " + row[0] + ": unexpected result " + row[6]);
            };
            vectors.add(new Vector(Integer.parseInt(row[0]), hex(row[1]), hex(row[3]), check, expected,
                    row.length > 7 ? row[7] : ""));
        }
        return vectors;
    }

    /** Number of data rows in the file, whatever their message length. */
    static int rowCount(String resource) {
        return rows(resource).size();
    }

    private static List<String[]> rows(String resource) {
        try (InputStream in = Bip340Vectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the test classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String[]> rows = new ArrayList<>();
            String header = reader.readLine();
            if (header == null || !header.startsWith("index,")) {
                throw new IllegalStateException("unexpected header: " + header);
            }
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    // the comment column may itself contain commas: keep it whole
                    rows.add(line.strip().split(",", 8));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] hex(String upperOrLower) {
        return Hex.decode(upperOrLower.toLowerCase(Locale.ROOT));
    }

    private Bip340Vectors() {
    }
}
