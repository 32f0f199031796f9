package org.nostrgpu.common.verify;

import org.nostrgpu.common.event.Hex;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the BIP-340 test-vector CSV ({@code index,secret key,public key,aux_rand,message,signature,
 * verification result,comment}, the format of bitcoin/bips {@code bip-0340/test-vectors.csv}) and keeps the rows
 * with 32-byte messages, the only length a Nostr event id has. Read by the tests of every verifier and by the device
 * check; the comment column may itself contain commas and is kept whole.
 */
public final class Bip340VectorFile {

    /**
     * @param secretKey empty for rows that only test verification
     * @param auxRand   empty for rows that only test verification
     */
    public record Vector(int index, byte[] secretKey, byte[] auxRand, SignatureCheck check, boolean expectedValid,
                         String comment) {
    }

    public static List<Vector> read(Reader source) throws IOException {
        BufferedReader reader = new BufferedReader(source);
        String header = reader.readLine();
        if (header == null || !header.startsWith("index,")) {
            throw new IOException("not a BIP-340 vector file, header: " + header);
        }
        List<Vector> vectors = new ArrayList<>();
        int lineNumber = 1;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.strip().split(",", 8);
            if (cells.length < 7) {
                throw new IOException("line " + lineNumber + ": expected at least 7 columns, got " + cells.length);
            }
            if (cells[4].length() != 64) {
                continue;
            }
            boolean expected = switch (cells[6]) {
                case "TRUE" -> true;
                case "FALSE" -> false;
                default -> throw new IOException("line " + lineNumber + ": unexpected result " + cells[6]);
            };
            try {
                SignatureCheck check = new SignatureCheck(hex(cells[4]), hex(cells[2]), hex(cells[5]));
                vectors.add(new Vector(Integer.parseInt(cells[0]), hex(cells[1]), hex(cells[3]), check, expected,
                        cells.length > 7 ? cells[7] : ""));
            } catch (IllegalArgumentException e) {
                throw new IOException("line " + lineNumber + ": " + e.getMessage(), e);
            }
        }
        return vectors;
    }

    private static byte[] hex(String text) {
        return Hex.decode(text.toLowerCase(Locale.ROOT));
    }

    private Bip340VectorFile() {
    }
}
