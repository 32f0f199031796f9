package org.nostrgpu.app;

import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Signed events for the bulk command tests, and JSON-lines files of them. */
final class SignedEvents {
    static final long BASE_TIME = 1_700_000_000L;

    private SignedEvents() {
    }

    /** {@code count} kind-1 notes from three authors, created one second apart from {@code BASE_TIME + offset}. */
    static List<Event> notes(int count, long offset) {
        List<EventSigner> signers = List.of(EventSigner.random(), EventSigner.random(), EventSigner.random());
        return IntStream.range(0, count).parallel()
                .mapToObj(i -> signers.get(i % signers.size()).sign(BASE_TIME + offset + i, 1,
                        List.of(List.of("t", "bulk")), "note " + offset + "/" + i))
                .toList();
    }

    static List<String> json(List<Event> events) {
        List<String> lines = new ArrayList<>(events.size());
        events.forEach(event -> lines.add(event.toJson()));
        return lines;
    }

    static Path write(Path file, List<String> lines) throws IOException {
        Files.write(file, lines);
        return file;
    }
}
