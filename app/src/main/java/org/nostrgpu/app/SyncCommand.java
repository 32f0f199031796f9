package org.nostrgpu.app;

import io.vertx.core.json.JsonObject;
import org.nostrgpu.common.answer.AnswerPrefix;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventParser;
import org.nostrgpu.common.event.Hex;
import org.nostrgpu.common.event.InvalidEventException;
import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.common.filter.FilterParser;
import org.nostrgpu.common.filter.InvalidFilterException;
import org.nostrgpu.common.negentropy.ItemSet;
import org.nostrgpu.relay.bulk.BulkIngest;
import org.nostrgpu.relay.bulk.IngestTally;
import org.nostrgpu.relay.bulk.StoredEvents;
import org.nostrgpu.relay.store.StoreOptions;
import org.nostrgpu.relay.sync.RemoteRelay;
import org.nostrgpu.relay.sync.StoredItems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** {@code sync URL}: NIP-77 reconciliation with another relay, then the difference moved one or both ways. */
@Command(name = "sync",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Reconcile this relay's database with any relay that speaks NIP-77 (negentropy), then move only the "
                        + "difference: down fetches the events only the other relay has (REQ by ids) and stores them "
                        + "like import does (every signature verified, in large batches); up publishes the events "
                        + "only this database has (EVENT, counting the OK answers). Works while this relay runs.",
                "Exit status: 0 when the difference was moved; 1 when the other relay refused or broke off, or "
                        + "some events hit a transient error (run it again)."})
final class SyncCommand implements Callable<Integer> {
    /** Most bytes of one negentropy message this side writes: its hex form stays under 128 KiB frames. */
    static final int FRAME_SIZE_LIMIT = 60_000;
    private static final int IDS_PER_REQUEST = 250;
    private static final int PUBLISH_WINDOW = 200;
    private static final int MAX_ITEMS = 50_000_000;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "URL", description = "The other relay, ws://HOST:PORT/ or wss://...")
    URI url;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--filter", paramLabel = "JSON", defaultValue = "{}",
            description = "Reconcile only the events matching this NIP-01 filter (limit plays no part). "
                    + "Default: every event.")
    String filter;

    @Option(names = "--dir", paramLabel = "down|up|both", defaultValue = "down",
            description = "down: fetch what only the other relay has; up: send it what only this database has; "
                    + "both. Default: ${DEFAULT-VALUE}.")
    String direction;

    @Option(names = "--verification", paramLabel = "auto|embedded|local", defaultValue = "auto",
            description = "How fetched events are verified, as for import. Default: ${DEFAULT-VALUE}.")
    String verification;

    @Option(names = "--window", paramLabel = "EVENTS", defaultValue = "8192",
            description = "Fetched events being verified and stored at once. Default: ${DEFAULT-VALUE}.")
    int window;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Longest wait for any answer of the other relay. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    /** The process environment; tests replace it. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean down = direction.equals("down") || direction.equals("both");
        boolean up = direction.equals("up") || direction.equals("both");
        if (!down && !up) {
            err.println("error: --dir must be down, up or both, got \"" + direction + "\"");
            return 2;
        }
        if (!verification.equals("auto") && !verification.equals("embedded") && !verification.equals("local")) {
            err.println("error: --verification must be auto, embedded or local, got \"" + verification + "\"");
            return 2;
        }
        Filter selected;
        try {
            selected = FilterParser.parse(filter);
        } catch (InvalidFilterException e) {
            err.println("error: --filter: " + e.getMessage());
            return 2;
        }
        RelayConfig config = RelayConfigResolver.withVerificationOptions(database.resolve(environment),
                verification, null);
        Path file = StoreOptions.from(config).file();
        long now = System.currentTimeMillis() / 1000;
        try (HeadlessRelay relay = HeadlessRelay.start(config);
             RemoteRelay remote = RemoteRelay.connect(relay.vertx(), url, Duration.ofSeconds(timeoutSeconds))) {
            ItemSet mine = StoredItems.load(file, selected, now, MAX_ITEMS);
            long started = System.nanoTime();
            RemoteRelay.Reconciliation result;
            try {
                result = remote.reconcile(new JsonObject(filter), mine, FRAME_SIZE_LIMIT);
            } catch (RemoteRelay.SyncRefusedException e) {
                err.println("sync: " + url + " refused: " + e.getMessage());
                return 1;
            }
            out.printf("sync: %d events here; reconciled with %s in %d round trips, %.1f ms, %d bytes sent, %d "
                            + "received: %d only there, %d only here%n", mine.size(), url, result.rounds(),
                    (System.nanoTime() - started) / 1e6, result.bytesSent(), result.bytesReceived(),
                    result.need().size(), result.have().size());
            boolean failed = false;
            if (down) {
                IngestTally.Totals fetched = fetch(relay, remote, result.need(), err);
                out.println(fetched.describe("down"));
                failed = fetched.errors() > 0 || fetched.read() < result.need().size();
                if (fetched.read() < result.need().size()) {
                    err.println("down: " + (result.need().size() - fetched.read())
                            + " events announced by the other relay were not sent by it");
                }
            }
            if (up) {
                Map<String, Long> sent = send(remote, file, result.have(), now);
                out.println("up: " + sent);
                failed |= sent.keySet().stream().anyMatch(reason -> reason.startsWith(AnswerPrefix.ERROR.text()));
            }
            return failed ? 1 : 0;
        }
    }

    private IngestTally.Totals fetch(HeadlessRelay relay, RemoteRelay remote, List<byte[]> need, PrintWriter err)
            throws Exception {
        List<String> ids = new ArrayList<>(need.size());
        Map<String, Integer> positions = new HashMap<>(need.size() * 2);
        for (byte[] id : need) {
            positions.put(Hex.encode(id), ids.size());
            ids.add(Hex.encode(id));
        }
        BulkIngest ingest = new BulkIngest(relay.node().ingester(), window,
                (position, reason) -> err.println("down: event " + ids.get((int) position) + ": " + reason));
        remote.fetch(ids, IDS_PER_REQUEST, event -> {
            Integer position = positions.remove(event.id());
            if (position != null) { // only what was asked for, once
                ingest.submit(event, position);
            }
        });
        ingest.awaitAnswers();
        return ingest.tally().snapshot();
    }

    /** Publishes what only this database has; returns the OK answers counted by message ("stored" for ""). */
    private Map<String, Long> send(RemoteRelay remote, Path file, List<byte[]> have, long now) throws Exception {
        List<Event> events = new ArrayList<>(have.size());
        List<String> unreadable = new ArrayList<>();
        StoredEvents.byIds(file, have, now, json -> {
            try {
                events.add(EventParser.parse(json));
            } catch (InvalidEventException e) {
                unreadable.add(e.getMessage());
            }
        });
        Map<String, LongAdder> answers = new ConcurrentHashMap<>();
        remote.publish(events.iterator(), PUBLISH_WINDOW, frame -> answers.computeIfAbsent(
                frame.accepted() && (frame.text() == null || frame.text().isEmpty()) ? "stored"
                        : String.valueOf(frame.text()), key -> new LongAdder()).increment());
        Map<String, Long> counted = new TreeMap<>();
        answers.forEach((reason, count) -> counted.put(reason, count.sum()));
        if (!unreadable.isEmpty()) {
            counted.put("unreadable here", (long) unreadable.size());
        }
        return counted;
    }
}
