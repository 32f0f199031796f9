package org.nostrgpu.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What note {@code i} of a benchmark corpus looks like, shared by the signed corpus ({@link Corpus}) and the
 * store benchmark's unsigned fill, so that every query shape finds about a hundred events on either:
 * <ul>
 *   <li>author: {@code i % authors}; created_at: {@code base + i} (one note a second, oldest first);</li>
 *   <li>threads of {@value #THREAD_LENGTH}: note {@code i} with {@code i % THREAD_LENGTH != 0} replies to the
 *       thread's root ({@code ["e", rootId]}), so {@code #e} of a root matches {@value #THREAD_LENGTH} - 1 notes;</li>
 *   <li>{@code ["p", pubkey]} of another author and {@code ["t", topic]} of {@value #TOPICS} topics, so {@code #p}
 *       and {@code #t} each match thousands of notes and a limit of 100 applies.</li>
 * </ul>
 */
public final class NoteShape {
    public static final int THREAD_LENGTH = 100;
    public static final int TOPICS = 50;
    public static final int KIND = 1;

    private NoteShape() {
    }

    public static boolean isRoot(int index) {
        return index % THREAD_LENGTH == 0;
    }

    /** The index of the root note a note belongs to (itself for a root). */
    public static int rootOf(int index) {
        return index - index % THREAD_LENGTH;
    }

    public static int author(int index, int authors) {
        return index % authors;
    }

    /** The author a note mentions: another one than its own (when there are two or more). */
    public static int mentioned(int index, int authors) {
        return authors == 1 ? 0 : (index + 1 + (index / authors) % (authors - 1)) % authors;
    }

    public static String topic(int index) {
        return "topic" + (index * 7 % TOPICS);
    }

    /** The tags of note {@code index}; {@code rootId} is ignored for a root. */
    public static List<List<String>> tags(int index, String rootId, String mentionedPubkey) {
        List<List<String>> tags = new ArrayList<>(4);
        if (!isRoot(index)) {
            tags.add(List.of("e", rootId, "", "root"));
        }
        tags.add(List.of("p", mentionedPubkey));
        tags.add(List.of("t", topic(index)));
        tags.add(List.of("client", "nostr-gpu-relay-bench"));
        return tags;
    }

    public static String content(int index) {
        return "load test event " + index + " \u2014 \"quoted\" \\ emoji \uD83D\uDE80 lorem ipsum dolor sit amet";
    }
}
