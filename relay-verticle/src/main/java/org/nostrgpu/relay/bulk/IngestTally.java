package org.nostrgpu.relay.bulk;

import org.nostrgpu.common.answer.AnswerPrefix;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of a bulk ingest (import or sync), updated from any thread: events read, stored as new, known
 * already (duplicates, older versions, deleted), and not stored, by reason. {@link #snapshot} reads them for a
 * progress line or the final summary.
 */
public final class IngestTally {
    private final LongAdder read = new LongAdder();
    private final LongAdder stored = new LongAdder();
    private final Map<String, LongAdder> notStored = new ConcurrentHashMap<>();

    void read() {
        read.increment();
    }

    void stored() {
        stored.increment();
    }

    /** An event or line not stored, with the relay's answer as its reason (details in parentheses dropped). */
    void notStored(String reason) {
        notStored.computeIfAbsent(withoutDetails(reason), key -> new LongAdder()).increment();
    }

    public Totals snapshot() {
        Map<String, Long> reasons = new TreeMap<>();
        notStored.forEach((reason, count) -> reasons.put(reason, count.sum()));
        return new Totals(read.sum(), stored.sum(), reasons);
    }

    /** "invalid: too many tags (2001, at most 2000)" counts as "invalid: too many tags". */
    private static String withoutDetails(String reason) {
        int details = reason.indexOf(" (");
        return details < 0 ? reason : reason.substring(0, details);
    }

    /**
     * @param read      events (or lines) read
     * @param stored    stored as new
     * @param notStored by reason: {@code duplicate: ...} for what the database already had, the other prefixes
     *                  for what was refused
     */
    public record Totals(long read, long stored, Map<String, Long> notStored) {
        /** Already known here: the {@code duplicate:} reasons. */
        public long duplicates() {
            return sumWhere(true);
        }

        /** Refused for any other reason (invalid, blocked, restricted, error). */
        public long refused() {
            return sumWhere(false);
        }

        private long sumWhere(boolean duplicate) {
            String prefix = AnswerPrefix.DUPLICATE.text() + ":";
            return notStored.entrySet().stream().filter(e -> e.getKey().startsWith(prefix) == duplicate)
                    .mapToLong(Map.Entry::getValue).sum();
        }

        /** A first line with the totals, then one indented line per reason, for the end of a command. */
        public String describe(String what) {
            StringBuilder text = new StringBuilder();
            text.append(what).append(": ").append(read).append(" read, ").append(stored).append(" stored, ")
                    .append(duplicates()).append(" already known, ").append(refused()).append(" refused");
            notStored.forEach((reason, count) -> text.append("\n  ").append(reason).append(": ").append(count));
            return text.toString();
        }

        /** Whether any event was refused for a reason a re-run could fix ({@code error:}). */
        public long errors() {
            String prefix = AnswerPrefix.ERROR.text() + ":";
            return notStored.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }
}
