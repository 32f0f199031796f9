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
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Signed kind-1 events for load tests: {@code authors} deterministic keys, events shaped by {@link NoteShape},
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

    /**
     * {@code count} signed kind-1 notes shaped by {@link NoteShape} (threads, mentions, topics), oldest first,
     * created_at ending about now. Thread roots are signed first, since replies name their ids.
     */
    public static List<String> generate(int count, int authors) {
        List<EventSigner> signers = IntStream.range(0, authors).mapToObj(Corpus::signerFor).toList();
        long baseTime = System.currentTimeMillis() / 1000 - count;
        Event[] events = new Event[count];
        IntStream.range(0, count).parallel().filter(NoteShape::isRoot)
                .forEach(i -> events[i] = sign(signers, baseTime, i, null));
        IntStream.range(0, count).parallel().filter(i -> !NoteShape.isRoot(i))
                .forEach(i -> events[i] = sign(signers, baseTime, i, events[NoteShape.rootOf(i)].id()));
        return Arrays.stream(events).map(Event::toJson).toList();
    }

    private static Event sign(List<EventSigner> signers, long baseTime, int index, String rootId) {
        int authors = signers.size();
        String mentioned = signers.get(NoteShape.mentioned(index, authors)).pubkey();
        return signers.get(NoteShape.author(index, authors)).sign(baseTime + index, NoteShape.KIND,
                NoteShape.tags(index, rootId, mentioned), NoteShape.content(index));
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
