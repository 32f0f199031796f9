package org.nostrgpu.relay.bulk;

import org.nostrgpu.common.answer.AnswerPrefix;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventParser;
import org.nostrgpu.common.event.InvalidEventException;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads JSON lines (one event per line; blank lines are skipped) and hands each event to a {@link BulkIngest},
 * numbering lines from 1 so every refusal names its line. With {@code strict}, reading stops at the first line
 * that is refused (anything but stored or already known); events already handed over still finish.
 */
public final class JsonlImport {
    private final BulkIngest ingest;
    private final boolean strict;
    private volatile boolean stopRequested;

    public JsonlImport(BulkIngest ingest, boolean strict) {
        this.ingest = ingest;
        this.strict = strict;
    }

    /**
     * Reads every line (or up to the first refused one with {@code strict}, or until {@link #stop}), then waits
     * for the answers of what it handed over.
     *
     * @return whether every line was read (false after a strict stop or {@link #stop})
     */
    public boolean run(BufferedReader lines) throws IOException, InterruptedException {
        long lineNumber = 0;
        boolean complete = true;
        String line;
        while ((line = lines.readLine()) != null) {
            if (stopRequested || (strict && ingest.firstRefused() != 0)) {
                complete = false;
                break;
            }
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            Event event;
            try {
                event = EventParser.parse(line);
            } catch (InvalidEventException e) {
                ingest.invalid(lineNumber, AnswerPrefix.INVALID.with(e.getMessage()));
                continue;
            }
            ingest.submit(event, lineNumber);
        }
        ingest.awaitAnswers();
        return complete;
    }

    /** Makes {@link #run} stop before the next line (an interrupted import); answers are still awaited. */
    public void stop() {
        stopRequested = true;
    }
}
