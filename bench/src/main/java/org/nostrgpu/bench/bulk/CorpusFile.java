package org.nostrgpu.bench.bulk;

import org.nostrgpu.common.event.EventSigner;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Writes a JSON-lines corpus of signed kind-1 events for the import benchmark, in chunks signed on all cores so a
 * million events never sit in memory at once. Authors are deterministic keys; created_at rises one second per event.
 *
 * <pre>java -cp app/target/nostr-gpu-relay.jar org.nostrgpu.bench.bulk.CorpusFile FILE EVENTS [AUTHORS]</pre>
 */
public final class CorpusFile {
    private static final int CHUNK = 20_000;

    private CorpusFile() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: CorpusFile FILE EVENTS [AUTHORS]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int events = Integer.parseInt(args[1]);
        int authors = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        long started = System.nanoTime();
        write(file, events, authors);
        System.out.printf("corpus: %d events from %d authors written to %s in %.1f s%n", events, authors, file,
                (System.nanoTime() - started) / 1e9);
    }

    static void write(Path file, int events, int authors) throws IOException {
        List<EventSigner> signers = IntStream.range(0, authors).parallel().mapToObj(CorpusFile::signer).toList();
        long baseTime = System.currentTimeMillis() / 1000 - events;
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file),
                StandardCharsets.UTF_8), 1 << 16)) {
            for (int start = 0; start < events; start += CHUNK) {
                int from = start;
                List<String> chunk = IntStream.range(from, Math.min(events, from + CHUNK)).parallel()
                        .mapToObj(i -> signers.get(i % authors).sign(baseTime + i, 1,
                                List.of(List.of("t", "bulk"), List.of("client", "nostr-gpu-relay-bench")),
                                "bulk corpus event " + i).toJson())
                        .toList();
                for (String line : chunk) {
                    out.write(line);
                    out.write('\n');
                }
            }
        }
    }

    private static EventSigner signer(int index) {
        try {
            return new EventSigner(MessageDigest.getInstance("SHA-256")
                    .digest(("bulk-author-" + index).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
