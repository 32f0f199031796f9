package org.nostrgpu.bench;

import fr.acinq.secp256k1.Secp256k1;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventIds;
import org.nostrgpu.common.event.Hex;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * A corpus shaped like a public relay's traffic, for load that exercises more than one code path:
 * <ul>
 *   <li>kinds 1 (notes, 60 %), 7 (reactions, 27 %), 0 (metadata, 3 %), 3 (contact lists, 5 %) and 30023 (long-form,
 *       5 %), with {@code e}, {@code p} and {@code t} tags where such events carry them;</li>
 *   <li>content with unicode (accents, CJK, emoji beyond the BMP) and characters JSON must escape (quotes, backslash,
 *       newline, tab, a control character);</li>
 *   <li>authors drawn from a Zipf distribution (rank k writes with probability proportional to 1 / k^s);</li>
 *   <li>a chosen share of events with a wrong signature (id right) and of events whose id is not their hash.</li>
 * </ul>
 * Deterministic: the same options (seed and end time included) give the same bytes, whatever the core count; each
 * event depends only on the seed and its index, and its BIP-340 auxiliary randomness is drawn from them too.
 * Events are built and signed (libsecp256k1) on all cores; references ({@code e} tags) point at earlier "anchor"
 * events, built first.
 *
 * <pre>java -cp app/target/nostr-gpu-relay.jar org.nostrgpu.bench.RealisticCorpus OUT.jsonl --events 100000 \
 *      [--seed 1] [--authors 1000] [--zipf 1.0] [--bad-signatures 0.01] [--bad-ids 0.005] [--until EPOCH_SECONDS]</pre>
 */
public final class RealisticCorpus {
    /** Every ANCHOR_EVERY-th event is built before the others, so later ones can name its id. */
    private static final int ANCHOR_EVERY = 16;
    private static final String[] WORDS = {"relay", "nostr", "signal", "\u00e9t\u00e9", "caf\u00e9", "na\u00efve",
            "\u65e5\u672c\u8a9e", "\u4e2d\u6587", "\u0440\u0443\u0441\u0441\u043a\u0438\u0439", "\u0639\u0631\u0628\u064a",
            "\uD83D\uDE80", "\uD83E\uDD19", "\u26A1", "zap", "sats", "gm", "bitcoin", "lorem", "ipsum", "dolor",
            "\"quoted\"", "back\\slash", "tab\there", "line\nbreak", "bell\u0007", "<html>", "&amp;", "100%"};
    private static final String[] TOPICS = {"nostr", "bitcoin", "gpu", "photography", "music", "art", "news",
            "\u65e5\u672c", "caf\u00e9", "zap", "dev", "memes"};
    private static final String[] REACTIONS = {"+", "+", "+", "-", "\uD83E\uDD19", "\u2764\uFE0F", "\uD83D\uDE02"};

    /** What to generate. {@code until}: created_at of the last event (one event a second before it). */
    public record Options(int events, long seed, int authors, double zipfExponent, double badSignatureShare,
                          double badIdShare, long until) {
        public Options {
            if (events < 0 || authors < 1 || badSignatureShare < 0 || badIdShare < 0
                    || badSignatureShare + badIdShare > 1) {
                throw new IllegalArgumentException("bad corpus options: " + events + " events, " + authors
                        + " authors, shares " + badSignatureShare + " / " + badIdShare);
            }
        }

        public static Options of(int events, long seed) {
            return new Options(events, seed, 1000, 1.0, 0.01, 0.005, System.currentTimeMillis() / 1000);
        }

        public Options withAuthors(int count) {
            return new Options(events, seed, count, zipfExponent, badSignatureShare, badIdShare, until);
        }

        public Options withBadShares(double signatures, double ids) {
            return new Options(events, seed, authors, zipfExponent, signatures, ids, until);
        }

        public Options withUntil(long epochSeconds) {
            return new Options(events, seed, authors, zipfExponent, badSignatureShare, badIdShare, epochSeconds);
        }
    }

    /** The events as canonical JSON, oldest first, and what they hold. */
    public record Generated(List<String> json, Map<Integer, Integer> byKind, int badSignatures, int badIds,
                            double seconds) {
        public double eventsPerSecond() {
            return json.size() / Math.max(seconds, 1e-9);
        }

        public String describe() {
            return String.format("corpus: %d events (by kind %s; %d bad signatures, %d bad ids) built and signed in "
                    + "%.1f s = %.0f events/s on %d cores", json.size(), byKind, badSignatures, badIds, seconds,
                    eventsPerSecond(), Runtime.getRuntime().availableProcessors());
        }
    }

    private enum Flaw { NONE, BAD_SIGNATURE, BAD_ID }

    private record Author(byte[] secret, String pubkey) {
    }

    private record Draft(Event unsigned, Author author, byte[] id, Flaw flaw, byte[] aux) {
        String idHex() {
            return Hex.encode(id);
        }
    }

    private final Options options;
    private final Author[] authors;
    private final Zipf authorRanks;

    private RealisticCorpus(Options options) {
        this.options = options;
        this.authors = IntStream.range(0, options.authors()).parallel()
                .mapToObj(i -> author(options.seed(), i)).toArray(Author[]::new);
        this.authorRanks = new Zipf(options.authors(), options.zipfExponent());
    }

    public static Generated generate(Options options) {
        long start = System.nanoTime();
        RealisticCorpus corpus = new RealisticCorpus(options);
        int count = options.events();
        Draft[] drafts = new Draft[count];
        IntStream.range(0, count).parallel().filter(i -> i % ANCHOR_EVERY == 0)
                .forEach(i -> drafts[i] = corpus.draft(i, null));
        IntStream.range(0, count).parallel().filter(i -> i % ANCHOR_EVERY != 0)
                .forEach(i -> drafts[i] = corpus.draft(i, drafts));
        String[] json = new String[count];
        IntStream.range(0, count).parallel().forEach(i -> json[i] = corpus.sign(drafts[i]));
        Map<Integer, Integer> byKind = new TreeMap<>();
        int badSignatures = 0;
        int badIds = 0;
        for (Draft draft : drafts) {
            byKind.merge(draft.unsigned().kind(), 1, Integer::sum);
            badSignatures += draft.flaw() == Flaw.BAD_SIGNATURE ? 1 : 0;
            badIds += draft.flaw() == Flaw.BAD_ID ? 1 : 0;
        }
        return new Generated(Arrays.asList(json), byKind, badSignatures, badIds, (System.nanoTime() - start) / 1e9);
    }

    /** Writes the events as JSON lines. */
    public static void write(List<String> json, Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (String line : json) {
                out.write(line);
                out.newLine();
            }
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new IllegalArgumentException("usage: RealisticCorpus OUT.jsonl [--events N] [--seed S] "
                    + "[--authors N] [--zipf S] [--bad-signatures SHARE] [--bad-ids SHARE] [--until EPOCH_SECONDS]");
        }
        Map<String, String> flags = Flags.parse(args, 1);
        Options defaults = Options.of(Flags.intOf(flags, "events", 100_000),
                Long.parseLong(flags.getOrDefault("seed", "1")));
        Options options = new Options(defaults.events(), defaults.seed(),
                Flags.intOf(flags, "authors", defaults.authors()),
                Double.parseDouble(flags.getOrDefault("zipf", "1.0")),
                Double.parseDouble(flags.getOrDefault("bad-signatures", "0.01")),
                Double.parseDouble(flags.getOrDefault("bad-ids", "0.005")),
                Long.parseLong(flags.getOrDefault("until", Long.toString(defaults.until()))));
        Generated generated = generate(options);
        write(generated.json(), Path.of(args[0]));
        System.out.println(generated.describe());
    }

    /** Event {@code index}, unsigned; {@code earlier} is null while the anchors are built. */
    private Draft draft(int index, Draft[] earlier) {
        SplittableRandom random = new SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + index);
        Author author = authors[authorRanks.draw(random)];
        long createdAt = options.until() - (options.events() - 1 - index);
        int roll = random.nextInt(100);
        Event unsigned;
        List<List<String>> tags = new ArrayList<>();
        if (roll < 3) {
            unsigned = event(author, createdAt, 0, tags, metadata(index, random));
        } else if (roll < 8) {
            int follows = 5 + random.nextInt(46);
            for (int f = 0; f < follows; f++) {
                tags.add(List.of("p", authors[authorRanks.draw(random)].pubkey()));
            }
            unsigned = event(author, createdAt, 3, tags, "");
        } else if (roll < 13) {
            tags.add(List.of("d", "article-" + index));
            tags.add(List.of("title", sentence(random, 4)));
            tags.add(List.of("published_at", Long.toString(createdAt)));
            tags.add(List.of("t", TOPICS[random.nextInt(TOPICS.length)]));
            StringBuilder body = new StringBuilder("# ").append(sentence(random, 5)).append("\n\n");
            int paragraphs = 3 + random.nextInt(8);
            for (int p = 0; p < paragraphs; p++) {
                body.append(sentence(random, 30 + random.nextInt(40))).append("\n\n");
            }
            unsigned = event(author, createdAt, 30023, tags, body.toString());
        } else if (roll < 40) {
            Draft target = earlier == null ? null : anchorBefore(index, earlier);
            if (target == null) {
                unsigned = note(author, createdAt, index, random, tags, null);
            } else {
                tags.add(List.of("e", target.idHex()));
                tags.add(List.of("p", target.unsigned().pubkey()));
                tags.add(List.of("k", Integer.toString(target.unsigned().kind())));
                unsigned = event(author, createdAt, 7, tags, REACTIONS[random.nextInt(REACTIONS.length)]);
            }
        } else {
            Draft replyTo = earlier != null && random.nextInt(3) == 0 ? anchorBefore(index, earlier) : null;
            unsigned = note(author, createdAt, index, random, tags, replyTo);
        }
        Flaw flaw = flaw(random);
        byte[] aux = new byte[32];
        random.nextBytes(aux);
        return new Draft(unsigned, author, EventIds.compute(unsigned), flaw, aux);
    }

    private Event note(Author author, long createdAt, int index, SplittableRandom random, List<List<String>> tags,
                       Draft replyTo) {
        if (replyTo != null) {
            tags.add(List.of("e", replyTo.idHex(), "", "reply"));
            tags.add(List.of("p", replyTo.unsigned().pubkey()));
        }
        if (random.nextInt(4) == 0) {
            tags.add(List.of("p", authors[authorRanks.draw(random)].pubkey()));
        }
        int topics = random.nextInt(3);
        StringBuilder content = new StringBuilder(sentence(random, 5 + random.nextInt(40)));
        for (int t = 0; t < topics; t++) {
            String topic = TOPICS[random.nextInt(TOPICS.length)];
            tags.add(List.of("t", topic));
            content.append(" #").append(topic);
        }
        content.append(" (").append(index).append(')');
        return event(author, createdAt, 1, tags, content.toString());
    }

    private static Draft anchorBefore(int index, Draft[] drafts) {
        int anchor = (index / ANCHOR_EVERY) * ANCHOR_EVERY;
        return anchor < index ? drafts[anchor] : null;
    }

    private String metadata(int index, SplittableRandom random) {
        // a JSON object inside a JSON string: its quotes are escaped once more in the event
        return "{\"name\":\"user" + index + "\",\"about\":\"" + sentence(random, 8).replace("\\", "\\\\")
                .replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t").replace("\u0007", "\\u0007")
                + "\",\"picture\":\"https://example.com/p/" + index + ".png\",\"nip05\":\"user" + index
                + "@example.com\"}";
    }

    private Flaw flaw(SplittableRandom random) {
        double roll = random.nextDouble();
        if (roll < options.badSignatureShare()) {
            return Flaw.BAD_SIGNATURE;
        }
        return roll < options.badSignatureShare() + options.badIdShare() ? Flaw.BAD_ID : Flaw.NONE;
    }

    private String sign(Draft draft) {
        byte[] signature = Secp256k1.get().signSchnorr(draft.id(), draft.author().secret(),
                draft.aux());
        byte[] id = draft.id().clone();
        switch (draft.flaw()) {
            case BAD_SIGNATURE -> signature[signature.length - 1] ^= 0x01;
            case BAD_ID -> id[0] ^= 0x01;
            case NONE -> { }
        }
        Event unsigned = draft.unsigned();
        return new Event(Hex.encode(id), unsigned.pubkey(), unsigned.createdAt(), unsigned.kind(), unsigned.tags(),
                unsigned.content(), Hex.encode(signature)).toJson();
    }

    private static Event event(Author author, long createdAt, int kind, List<List<String>> tags, String content) {
        return new Event("", author.pubkey(), createdAt, kind, List.copyOf(tags), content, "");
    }

    private static String sentence(SplittableRandom random, int words) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                text.append(' ');
            }
            text.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    private static Author author(long seed, int index) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] secret = sha.digest(("realistic-corpus-" + seed + "-author-" + index).getBytes());
            while (!Secp256k1.get().secKeyVerify(secret)) {
                secret = sha.digest(secret);
            }
            byte[] compressed = Secp256k1.get().pubKeyCompress(Secp256k1.get().pubkeyCreate(secret));
            return new Author(secret, Hex.encode(Arrays.copyOfRange(compressed, 1, 33)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
