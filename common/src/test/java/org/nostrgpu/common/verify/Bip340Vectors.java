package org.nostrgpu.common.verify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The BIP-340 test vector files of the test classpath, read with {@link Bip340VectorFile}. */
final class Bip340Vectors {
    /** The vectors of the final BIP-340 (even-Y nonce), as published in bitcoin/bips. */
    static final String FINAL = "/bip340-final-test-vectors.csv";
    /**
     * An earlier draft of BIP-340 (square-Y nonce, comments say {@code has_square_y}), as the product owner
     * supplied it; libsecp256k1, the final BIP and Nostr reject its valid signatures.
     */
    static final String SQUARE_Y_DRAFT = "/bip340-test-vectors.csv";

    /** Every row whose message is 32 bytes, the only length a Nostr event id can have. */
    static List<Bip340VectorFile.Vector> withThirtyTwoByteMessages(String resource) {
        try (InputStream in = open(resource)) {
            return Bip340VectorFile.read(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Number of data rows in the file, whatever their message length. */
    static int rowCount(String resource) {
        try (InputStream in = open(resource)) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return (int) reader.lines().skip(1).filter(line -> !line.isBlank()).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String resource) {
        InputStream in = Bip340Vectors.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(resource + " is missing from the test classpath");
        }
        return in;
    }

    private Bip340Vectors() {
    }
}
