package org.nostrgpu.bench;

import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventParser;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.event.InvalidEventException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Signed kind-1 events for load tests: {@code authors} deterministic keys, events spread over them,
 * signed on all cores. Saved as JSONL so a later run (or any other client) can replay the same events.
 */
public final class Corpus {

    private Corpus() {
    }

    public static List<String> loadOrGenerate(Path file, int count, int authors) throws IOException {
        if (file != null && Files.exists(file)) {
            List<String> lines = Files.readAllLines(file);
            if (lines.size() >= count) {
                System.out.printf("corpus: %d events read from %s%n", count, file);
                return lines.subList(0, count);
            }
        }
        long start = System.nanoTime();
        List<String> events = generate(count, authors);
        System.out.printf("corpus: %d events from %d authors signed in %.1f s%n",
                count, authors, (System.nanoTime() - start) / 1e9);
        if (file != null) {
            try (BufferedWriter out = Files.newBufferedWriter(file)) {
                for (String line : events) {
                    out.write(line);
                    out.newLine();
                }
            }
        }
        return events;
    }

    public static List<String> generate(int count, int authors) {
        List<EventSigner> signers = IntStream.range(0, authors).mapToObj(Corpus::signerFor).toList();
        long baseTime = System.currentTimeMillis() / 1000 - count;
        return IntStream.range(0, count).parallel()
                .mapToObj(i -> signers.get(i % authors).sign(baseTime + i, 1,
                        List.of(List.of("t", "load"), List.of("client", "nostr-gpu-relay-bench")),
                        "load test event " + i + " \u2014 \"quoted\" \\ emoji \uD83D\uDE80")
                        .toJson())
                .toList();
    }

    /** Distinct pubkeys of a corpus, for query load. */
    public static List<String> authorsOf(List<String> eventJson) {
        List<String> authors = new ArrayList<>();
        for (String json : eventJson) {
            try {
                Event event = EventParser.parse(json);
                if (!authors.contains(event.pubkey())) {
                    authors.add(event.pubkey());
                }
            } catch (InvalidEventException e) {
                throw new IllegalArgumentException("corpus line is not an event: " + e.getMessage());
            }
        }
        return authors;
    }

    private static EventSigner signerFor(int index) {
        try {
            byte[] key = MessageDigest.getInstance("SHA-256").digest(("bench-author-" + index).getBytes());
            return new EventSigner(key);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void requireWritable(Path file) {
        if (file != null && file.getParent() != null && !Files.isDirectory(file.getParent())) {
            throw new UncheckedIOException(new IOException("no such directory: " + file.getParent()));
        }
    }
}
