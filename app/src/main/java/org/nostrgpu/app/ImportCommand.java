package org.nostrgpu.app;

import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.relay.bulk.BulkIngest;
import org.nostrgpu.relay.bulk.IngestTally;
import org.nostrgpu.relay.bulk.JsonlImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code import FILE|-}: stores a JSON-lines file of events with the relay's checks and rules. */
@Command(name = "import",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "Import events from a JSON-lines file (one event per line; gzip and zstd recognised by their first "
                        + "bytes; - reads standard input) into the relay's database. Each event gets the relay's "
                        + "checks (structure, id, limits, NIP-40, NIP-70, signature) and storage rules (duplicates, "
                        + "replaceable and addressable versions, NIP-09 deletions). Signatures are verified in large "
                        + "batches by a worker in this process (the GPU when present) or, with --verification local, "
                        + "by this process's CPU threads.",
                "Every line not stored is reported on standard error with its number and reason; the summary goes "
                        + "to standard output. Works while the relay is running on the same data directory (the "
                        + "relay's live subscribers are not told about imported events) and while it is stopped. "
                        + "Interrupting is safe: each transaction commits whole, and a re-run skips what is stored.",
                "Exit status: 0 when every line was read; 1 when --strict stopped at a refused line, the import was "
                        + "interrupted, or some events hit a transient error (run it again)."})
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE|-", description = "JSON-lines file (plain, .gz or .zst), or - for standard input.")
    String source;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--strict", description = "Stop at the first line that is refused (events already being "
            + "processed still finish).")
    boolean strict;

    @Option(names = "--verification", paramLabel = "auto|embedded|local", defaultValue = "auto",
            description = "auto and embedded: a verification worker in this process (CUDA when a GPU is usable, "
                    + "CPU threads otherwise); local: this process's CPU threads directly. Default: ${DEFAULT-VALUE}.")
    String verification;

    @Option(names = "--window", paramLabel = "EVENTS", defaultValue = "8192",
            description = "Events being processed at once (verified and stored in batches). Default: ${DEFAULT-VALUE}.")
    int window;

    @Option(names = "--progress", paramLabel = "auto|bar|lines|none", defaultValue = "auto",
            description = "Progress on standard error: a bar on a terminal, a line every "
                    + ProgressReport.PLAIN_INTERVAL_S + " s otherwise (auto), or none. Default: ${DEFAULT-VALUE}.")
    String progress;

    @Option(names = "--timings", description = "Also print the rate and where this process's CPU time went, by "
            + "thread group (reading and parsing on main, signature verification, SQLite, event loops, GC and JIT).")
    boolean timings;

    /** The process environment; tests replace it. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() throws Exception {
        if (!verification.equals("auto") && !verification.equals("embedded") && !verification.equals("local")) {
            spec.commandLine().getErr().println("error: --verification must be auto, embedded or local, got \""
                    + verification + "\"");
            return 2;
        }
        RelayConfig config = RelayConfigResolver.withVerificationOptions(database.resolve(environment),
                verification, null);
        PrintWriter err = spec.commandLine().getErr();
        boolean[] complete = {false};
        CountDownLatch finished = new CountDownLatch(1);
        IngestTally.Totals totals;
        String timing = null;
        try (HeadlessRelay relay = HeadlessRelay.start(config);
             JsonlStreams.Input input = JsonlStreams.open(source)) {
            BulkIngest ingest = new BulkIngest(relay.node().ingester(), window,
                    (line, reason) -> err.println("line " + line + ": " + reason));
            JsonlImport importer = new JsonlImport(ingest, strict);
            // Ctrl-C or SIGTERM: stop reading, let what was handed over commit, close the database cleanly
            Thread onInterrupt = new Thread(() -> {
                importer.stop();
                awaitQuietly(finished);
            }, "import-interrupted");
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            long started = System.nanoTime();
            try (ProgressReport ignored = progress(ingest, input)) {
                complete[0] = importer.run(input.lines());
            } finally {
                removeHook(onInterrupt);
            }
            totals = ingest.tally().snapshot();
            if (timings) {
                double seconds = (System.nanoTime() - started) / 1e9;
                timing = String.format(java.util.Locale.ROOT, "import: %d events in %.1f s: %.0f events/s (%s)%n%s",
                        totals.read(), seconds, totals.read() / seconds, relay.node().verificationBackend(),
                        ThreadCpu.report(totals.read()));
            }
        } finally {
            finished.countDown();
        }
        spec.commandLine().getOut().println(totals.describe("import"));
        if (timing != null) {
            spec.commandLine().getOut().println(timing);
        }
        spec.commandLine().getOut().flush();
        err.flush();
        if (!complete[0]) {
            err.println(strict ? "stopped at the first refused line (--strict)" : "import interrupted");
            return 1;
        }
        return totals.errors() > 0 ? 1 : 0;
    }

    private ProgressReport progress(BulkIngest ingest, JsonlStreams.Input input) {
        boolean bar = switch (progress) {
            case "bar" -> true;
            case "auto" -> ProgressReport.onTerminal();
            default -> false;
        };
        if (progress.equals("none")) {
            return null;
        }
        return new ProgressReport(System.err, bar, "import", () -> ingest.tally().snapshot().read(),
                input.raw()::count, input.sizeBytes());
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it waits for this command to finish
        }
    }

    private static void awaitQuietly(CountDownLatch finished) {
        try {
            finished.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
