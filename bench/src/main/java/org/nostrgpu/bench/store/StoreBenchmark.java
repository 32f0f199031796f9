package org.nostrgpu.bench.store;

import org.nostrgpu.bench.NoteShape;
import org.nostrgpu.relay.store.SqliteEventStore;
import org.nostrgpu.relay.store.StoreOptions;
import org.nostrgpu.relay.store.StoreOutcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.filter.Filter;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Store benchmark (a tool, not a test).
 *
 * <ol>
 *   <li>Ingest: stores {@code --ingest} regular events into an empty database, keeping {@code --window} store()
 *       calls outstanding (each completes after its group's COMMIT), and reports accepted events/s and the mean
 *       group size.</li>
 *   <li>Query: fills a database with {@code --fill} events by {@code --authors} authors, then asks
 *       {@code --queries} times for one random author's newest 100 events (REQ {"authors":[pk],"limit":100}) and
 *       reports latency percentiles.</li>
 * </ol>
 *
 * The store never verifies signatures, so events are built with random but well-formed hex ids, pubkeys and
 * signatures instead of being signed (signing a million events would dominate the run). They have the shape of the
 * load tools' signed corpus ({@link NoteShape}: threads, mentions, topics, one note a second), so a filled database
 * answers the query load's shapes as one filled over WebSockets would.
 *
 * <pre>java -cp ... org.nostrgpu.bench.store.StoreBenchmark --dir /tmp/bench --ingest 200000 --window 1000
 *      --fill 1000000 --authors 100 --queries 5000</pre>
 */
public final class StoreBenchmark {
    private static final int FILL_WINDOW = 20_000;
    private final SplittableRandom random = new SplittableRandom(42);
    private final List<String> authors = new ArrayList<>();
    /** Ids of the thread roots, by thread number, for the replies' e tags. */
    private final Map<Integer, String> rootIds = new HashMap<>();
    private final long baseTime = 1_700_000_000L;

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Vertx vertx = Vertx.vertx();
        try {
            new StoreBenchmark(options.authors).run(vertx, options);
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    private StoreBenchmark(int authorCount) {
        for (int i = 0; i < authorCount; i++) {
            authors.add(hex(32));
        }
    }

    private void run(Vertx vertx, Options options) throws Exception {
        Files.createDirectories(options.dir);
        if (options.ingest > 0) {
            Path file = fresh(options.dir.resolve("ingest.sqlite3"));
            SqliteEventStore store = SqliteEventStore.open(vertx, storeOptions(file, options)).await(30, TimeUnit.MINUTES);
            if (options.ingestWarmup > 0) {
                // the same path first, unmeasured: JIT compilation and the first pages would otherwise be counted
                List<Event> warmup = new ArrayList<>(options.ingestWarmup);
                for (int i = 0; i < options.ingestWarmup; i++) {
                    warmup.add(note(i));
                }
                storeAll(vertx, store, warmup::get, options.ingestWarmup, options.window).await(30, TimeUnit.MINUTES);
            }
            List<Event> events = new ArrayList<>(options.ingest);
            for (int i = 0; i < options.ingest; i++) {
                events.add(note(options.ingestWarmup + i));
            }
            long transactionsBefore = store.writeTransactions();
            long[] ioBefore = processIo();
            long started = System.nanoTime();
            long cpuStarted = processCpuNanos();
            long stored = storeAll(vertx, store, events::get, options.ingest, options.window)
                    .await(30, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStarted) / 1e9;
            long[] ioAfter = processIo();
            long transactions = store.writeTransactions() - transactionsBefore;
            // CPU seconds (all threads, user + system) say what the store costs even when other processes share the cores
            System.out.printf("ingest: %d events (%d stored) in %.2f s = %.0f events/s; %.2f CPU s = %.1f CPU-us/event = %.0f events per CPU-second; window %d, %d transactions, mean group %.1f; load average %s%n",
                    options.ingest, stored, seconds, options.ingest / seconds, cpuSeconds, cpuSeconds * 1e6 / options.ingest,
                    options.ingest / cpuSeconds, options.window, transactions, (double) options.ingest / transactions,
                    loadAverage());
            if (ioBefore != null && ioAfter != null) {
                // unlike CPU time, these do not depend on what else runs on the machine
                System.out.printf("ingest I/O per event: %.2f write calls, %.1f KiB written, %.2f read calls, %.1f KiB read%n",
                        (double) (ioAfter[3] - ioBefore[3]) / options.ingest, (ioAfter[1] - ioBefore[1]) / 1024.0 / options.ingest,
                        (double) (ioAfter[2] - ioBefore[2]) / options.ingest, (ioAfter[0] - ioBefore[0]) / 1024.0 / options.ingest);
            }
            store.close().await(30, TimeUnit.MINUTES);
        }
        if (options.fill > 0) {
            Path file = options.dir.resolve("query-" + options.fill + ".sqlite3");
            boolean reuse = Files.exists(file) && options.reuse;
            // filling is a bulk load: bigger groups than the ingest run's, so a million events load quickly
            StoreOptions fillOptions = storeOptions(reuse ? file : fresh(file), options);
            fillOptions = new StoreOptions(fillOptions.file(), fillOptions.readPoolSize(),
                    Math.max(fillOptions.writeBatchSize(), FILL_WINDOW / 2), fillOptions.maxQueuedWrites(),
                    fillOptions.lookupBatchSize(), fillOptions.cacheSizeKiB(), fillOptions.mmapSizeBytes(),
                    fillOptions.busyTimeoutMillis());
            SqliteEventStore store = SqliteEventStore.open(vertx, fillOptions).await(30, TimeUnit.MINUTES);
            if (!reuse) {
                long started = System.nanoTime();
                long cpuStarted = processCpuNanos();
                storeAll(vertx, store, this::note, options.fill, FILL_WINDOW).await(30, TimeUnit.MINUTES);
                double cpuSeconds = (processCpuNanos() - cpuStarted) / 1e9;
                System.out.printf("fill: %d events by %d authors in %.1f s, %.1f CPU s = %.1f CPU-us/event; load average %s%n",
                        options.fill, authors.size(), (System.nanoTime() - started) / 1e9, cpuSeconds,
                        cpuSeconds * 1e6 / options.fill, loadAverage());
            } else {
                System.out.printf("fill: reusing %s%n", file);
            }
            if (options.queries > 0) {
                queryLatency(store, options.queries);
            }
            store.close().await(30, TimeUnit.MINUTES);
        }
    }

    private static StoreOptions storeOptions(Path file, Options options) {
        StoreOptions defaults = StoreOptions.forFile(file, options.readers, options.batch);
        return new StoreOptions(file, defaults.readPoolSize(), defaults.writeBatchSize(), Integer.MAX_VALUE,
                defaults.lookupBatchSize(), options.cacheKiB > 0 ? options.cacheKiB : defaults.cacheSizeKiB(),
                options.mmapBytes >= 0 ? options.mmapBytes : defaults.mmapSizeBytes(), defaults.busyTimeoutMillis());
    }

    private void queryLatency(SqliteEventStore store, int queries) throws Exception {
        long now = baseTime + Integer.MAX_VALUE / 30 + 60;
        // warm up: the first queries open connections and pull pages into the cache
        for (int i = 0; i < Math.min(500, queries); i++) {
            store.query(List.of(byAuthor()), 500, now).await(30, TimeUnit.MINUTES);
        }
        long[] micros = new long[queries];
        long returned = 0;
        for (int i = 0; i < queries; i++) {
            long started = System.nanoTime();
            returned += store.query(List.of(byAuthor()), 500, now).await(30, TimeUnit.MINUTES).size();
            micros[i] = (System.nanoTime() - started) / 1_000;
        }
        Arrays.sort(micros);
        System.out.printf("query by author, limit 100: %d queries, mean %d events returned, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                queries, returned / queries, micros[queries / 2] / 1e3, micros[queries * 9 / 10] / 1e3,
                micros[queries * 99 / 100] / 1e3, micros[queries - 1] / 1e3);
    }

    private Filter byAuthor() {
        return new Filter(null, Set.of(authors.get(random.nextInt(authors.size()))), null, null, null, null, 100);
    }

    /** Stores count events keeping window calls outstanding, all issued from one event loop as the relay would. */
    private static Future<Long> storeAll(Vertx vertx, SqliteEventStore store, IntFunction<Event> events, int count,
                                         int window) {
        Promise<Long> done = Promise.promise();
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> new Object() {
            int next;
            int completed;
            long stored;

            void start() {
                for (int i = 0; i < Math.min(window, count); i++) {
                    submitNext();
                }
            }

            void submitNext() {
                Event event = events.apply(next++);
                store.store(event).onComplete(result -> {
                    if (result.failed()) {
                        done.tryFail(result.cause());
                        return;
                    }
                    stored += result.result() == StoreOutcome.STORED ? 1 : 0;
                    completed++;
                    if (next < count) {
                        submitNext();
                    } else if (completed == count) {
                        done.complete(stored);
                    }
                });
            }
        }.start());
        return done.future();
    }

    /** Note {@code index} shaped like the signed corpus ({@link NoteShape}), with random id and signature. */
    private Event note(int index) {
        String id = hex(32);
        String rootId = null;
        if (NoteShape.isRoot(index)) {
            rootIds.put(index / NoteShape.THREAD_LENGTH, id);
        } else {
            rootId = rootIds.get(index / NoteShape.THREAD_LENGTH);
            rootId = rootId != null ? rootId : hex(32); // the root went to another run (ingest then fill)
        }
        int authorCount = authors.size();
        List<List<String>> tags = NoteShape.tags(index, rootId, authors.get(NoteShape.mentioned(index, authorCount)));
        return new Event(id, authors.get(NoteShape.author(index, authorCount)), baseTime + index, NoteShape.KIND, tags,
                NoteShape.content(index), hex(64));
    }

    private String hex(int bytes) {
        StringBuilder out = new StringBuilder(bytes * 2);
        for (int i = 0; i < bytes; i++) {
            int b = random.nextInt(256);
            out.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
        }
        return out.toString();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** rchar, wchar, syscr, syscw of this process (Linux /proc/self/io), or null where unavailable. */
    private static long[] processIo() {
        try {
            long[] values = new long[4];
            List<String> names = List.of("rchar", "wchar", "syscr", "syscw");
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                String[] parts = line.split(":\\s*");
                int index = names.indexOf(parts[0]);
                if (index >= 0) {
                    values[index] = Long.parseLong(parts[1].strip());
                }
            }
            return values;
        } catch (Exception e) {
            return null;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (Exception e) {
            return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static Path fresh(Path file) throws Exception {
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
        return file;
    }

    private record Options(Path dir, int ingest, int ingestWarmup, int window, int fill, int authors, int queries, int readers, int batch,
                           boolean reuse, int cacheKiB, long mmapBytes) {
        static Options parse(String[] args) {
            Path dir = Path.of("target/store-bench");
            int ingest = 100_000, ingestWarmup = 0, window = 1_000, fill = 0, authorCount = 100, queries = 5_000, readers = 2;
            int batch = 1_000, cacheKiB = 0;
            long mmapBytes = -1;
            boolean reuse = false;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--dir" -> dir = Path.of(value);
                    case "--ingest" -> ingest = Integer.parseInt(value);
                    case "--ingest-warmup" -> ingestWarmup = Integer.parseInt(value);
                    case "--window" -> window = Integer.parseInt(value);
                    case "--fill" -> fill = Integer.parseInt(value);
                    case "--authors" -> authorCount = Integer.parseInt(value);
                    case "--queries" -> queries = Integer.parseInt(value);
                    case "--readers" -> readers = Integer.parseInt(value);
                    case "--batch" -> batch = Integer.parseInt(value);
                    case "--cache-kib" -> cacheKiB = Integer.parseInt(value);
                    case "--mmap-bytes" -> mmapBytes = Long.parseLong(value);
                    case "--reuse" -> {
                        reuse = true;
                        continue;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (--dir D --ingest N --ingest-warmup N --window W --fill N --authors A --queries Q --readers R --batch B --cache-kib K --mmap-bytes M --reuse)");
                }
                i++;
            }
            return new Options(dir, ingest, ingestWarmup, window, fill, authorCount, queries, readers, batch, reuse, cacheKiB, mmapBytes);
        }
    }
}
