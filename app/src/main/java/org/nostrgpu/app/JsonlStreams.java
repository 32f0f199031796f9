package org.nostrgpu.app;

import io.airlift.compress.zstd.ZstdInputStream;
import io.airlift.compress.zstd.ZstdOutputStream;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * JSON-lines files for import and export: plain, gzip or zstd. Input is recognised by its first bytes (so
 * standard input may be compressed too); output is compressed when the file name ends in {@code .gz} or
 * {@code .zst}.
 */
final class JsonlStreams {
    private static final int BUFFER_BYTES = 1 << 16;
    private static final byte[] GZIP_MAGIC = {(byte) 0x1f, (byte) 0x8b};
    private static final byte[] ZSTD_MAGIC = {(byte) 0x28, (byte) 0xb5, (byte) 0x2f, (byte) 0xfd};

    private JsonlStreams() {
    }

    /** An opened input: its lines, how many bytes of the file have been read, and its size (-1 when unknown). */
    record Input(BufferedReader lines, CountingInputStream raw, long sizeBytes) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    /** @param source a file, or "-" for standard input */
    static Input open(String source) throws IOException {
        boolean stdin = "-".equals(source);
        InputStream file = stdin ? System.in : Files.newInputStream(Path.of(source));
        long size = stdin ? -1 : Files.size(Path.of(source));
        CountingInputStream raw = new CountingInputStream(file);
        BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER_BYTES);
        InputStream decoded = decompressed(buffered);
        return new Input(new BufferedReader(new InputStreamReader(decoded, StandardCharsets.UTF_8), BUFFER_BYTES),
                raw, size);
    }

    private static InputStream decompressed(BufferedInputStream in) throws IOException {
        in.mark(ZSTD_MAGIC.length);
        byte[] head = in.readNBytes(ZSTD_MAGIC.length);
        in.reset();
        if (startsWith(head, GZIP_MAGIC)) {
            return new GZIPInputStream(in, BUFFER_BYTES);
        }
        if (startsWith(head, ZSTD_MAGIC)) {
            return new ZstdInputStream(in);
        }
        return in;
    }

    /** @param output a file (compressed by its extension), or null for standard output */
    static Writer create(Path output) throws IOException {
        OutputStream out = output == null ? nonClosing(System.out) : Files.newOutputStream(output);
        String name = output == null ? "" : output.getFileName().toString();
        if (name.endsWith(".gz")) {
            out = new GZIPOutputStream(out, BUFFER_BYTES);
        } else if (name.endsWith(".zst")) {
            out = new ZstdOutputStream(out);
        }
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER_BYTES);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Standard output stays open when the export's writer is closed (flushed only). */
    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** Counts the bytes read from the file itself (before decompression), for progress and ETA. */
    static final class CountingInputStream extends FilterInputStream {
        private volatile long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }
}
