package org.nostrgpu.common.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.nostrgpu.common.bus.VerifyProtocol;
import org.nostrgpu.common.event.Hex;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a {@link RelayConfig} (or a {@link WorkerConfig}) from YAML, filling absent keys with defaults. Keys are
 * kebab-case; every key, its default and its meaning are listed in {@code deploy/relay.example.yaml}
 * ({@code deploy/worker.example.yaml}). Unknown keys, values of the
 * wrong type and out-of-range numbers are refused with a {@link ConfigException} naming the key.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final List<String> WORKER_BACKENDS = List.of("auto", "cpu", "cuda");

    private ConfigLoader() {
    }

    public static RelayConfig defaults() {
        return RelayConfig.defaults();
    }

    public static RelayConfig load(Path yamlFile) {
        return parse(yamlFile.toString(), new StringReader(readFile(yamlFile)));
    }

    /** A worker's configuration; its keys are listed in {@code deploy/worker.example.yaml}. */
    public static WorkerConfig loadWorker(Path yamlFile) {
        return parseWorker(yamlFile.toString(), new StringReader(readFile(yamlFile)));
    }

    private static String readFile(Path yamlFile) {
        try {
            return Files.readString(yamlFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file not found: " + yamlFile);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + yamlFile + ": " + e.getMessage(), e);
        }
    }

    /** @param source names the document in error messages, e.g. the file path */
    static RelayConfig parse(String source, Reader yaml) {
        return read(new ConfigSection(source, "", readRoot(source, yaml), new LinkedHashSet<>()));
    }

    /** @param source names the document in error messages, e.g. the file path */
    static WorkerConfig parseWorker(String source, Reader yaml) {
        return readWorker(new ConfigSection(source, "", readRoot(source, yaml), new LinkedHashSet<>()));
    }

    private static JsonNode readRoot(String source, Reader yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")"), e);
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = YAML.createObjectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException(source + ": the top level must be a mapping of keys");
        }
        return root;
    }

    /** Every key the loader understands, as dotted paths ({@code limits.max-tags}), in reading order. */
    static Set<String> knownKeys() {
        Set<String> asked = new LinkedHashSet<>();
        read(new ConfigSection("defaults", "", null, asked));
        return asked;
    }

    /** Every key of a worker's file, as dotted paths, in reading order. */
    static Set<String> knownWorkerKeys() {
        Set<String> asked = new LinkedHashSet<>();
        readWorker(new ConfigSection("defaults", "", null, asked));
        return asked;
    }

    private static WorkerConfig readWorker(ConfigSection root) {
        WorkerConfig d = WorkerConfig.defaults();
        String backend = root.text("backend", d.backend());
        if (!WORKER_BACKENDS.contains(backend)) {
            throw root.error("backend", "must be one of " + String.join(", ", WORKER_BACKENDS) + ", got \"" + backend + "\"");
        }
        int cpuThreads = root.wholeIntOrAuto("cpu-threads", d.cpuThreads(), 4_096);
        int maxBatchSize = root.wholeIntOrAuto("max-batch-size", WorkerConfig.AUTO_BATCH_SIZE, 1 << 20);
        int maxInFlightBatches = root.wholeInt("max-in-flight-batches", d.maxInFlightBatches(), 1, 16);
        // never below one full request, so an idle worker accepts any well-formed request
        int maxQueuedEvents = root.wholeInt("max-queued-events", d.maxQueuedEvents(),
                VerifyProtocol.MAX_EVENTS_PER_REQUEST, 1 << 28);
        String healthHost = root.nonBlankText("health-host", d.healthHost());
        int healthPort = root.wholeInt("health-port", d.healthPort(), 0, 65_535);
        ConfigSection cuda = root.section("cuda");
        int cudaDevice = cuda.wholeInt("device", d.cudaDevice(), 0, 1_023);
        String ptxFile = cuda.text("ptx-file", d.ptxFile());
        int keyCacheEntries = cuda.wholeInt("key-cache-entries", d.cudaKeyCacheEntries(), 0,
                WorkerConfig.MAX_KEY_CACHE_ENTRIES);
        if (!WorkerConfig.validKeyCacheEntries(keyCacheEntries)) {
            throw cuda.error("key-cache-entries", "must be 0 (no cache) or a power of two, got " + keyCacheEntries);
        }
        boolean cpuBelowCrossover = cuda.flag("cpu-below-crossover", d.cpuBelowCrossover());
        int recheckSeconds = cuda.wholeInt("crossover-recheck-seconds", d.crossoverRecheckSeconds(), 0, 86_400);
        cuda.rejectUnknownKeys();
        root.rejectUnknownKeys();
        return new WorkerConfig(backend, cpuThreads, maxBatchSize, maxInFlightBatches, maxQueuedEvents,
                healthHost, healthPort, cudaDevice, ptxFile, keyCacheEntries, cpuBelowCrossover, recheckSeconds);
    }

    private static RelayConfig read(ConfigSection root) {
        RelayConfig d = RelayConfig.defaults();
        String host = root.nonBlankText("host", d.host());
        int port = root.wholeInt("port", d.port(), 0, 65_535);
        String dataDir = root.nonBlankText("data-dir", d.dataDir());
        ConfigSection limitsSection = root.section("limits");
        Limits limits = readLimits(limitsSection, d.limits());
        AbuseLimits abuse = readAbuseLimits(limitsSection, d.abuse());
        limitsSection.rejectUnknownKeys();
        RelayInfo info = readInfo(root.section("info"), d.info());
        int verifierThreads = root.wholeIntOrAuto("verifier-threads", d.verifierThreads(), 4_096);
        int verifyBatchSize = root.wholeInt("verify-batch-size", d.verifyBatchSize(), 1, 1 << 20);
        int writeBatchSize = root.wholeInt("write-batch-size", d.writeBatchSize(), 1, 1 << 20);
        int readPoolSize = root.wholeIntOrAuto("read-pool-size", d.readPoolSize(), 1_024);
        long gcIntervalSeconds = root.whole("gc-interval-seconds", d.gcIntervalSeconds(), 1, Long.MAX_VALUE);
        int eventLoops = root.wholeIntOrAuto("event-loops", d.eventLoops(), 1_024);
        VerificationSettings verification = readVerification(root.section("verification"), d.verification());
        AuthSettings auth = readAuth(root.section("auth"), d.auth());
        WritePolicy writePolicy = readWritePolicy(root.section("write-policy"), d.writePolicy());
        root.rejectUnknownKeys();
        return new RelayConfig(host, port, dataDir, limits, info, verifierThreads, verifyBatchSize,
                writeBatchSize, readPoolSize, gcIntervalSeconds, eventLoops, verification, abuse, auth, writePolicy);
    }

    private static VerificationSettings readVerification(ConfigSection s, VerificationSettings d) {
        String modeName = s.text("mode", d.mode().configName());
        VerificationSettings.Mode mode = VerificationSettings.Mode.fromConfigName(modeName);
        if (mode == null) {
            throw s.error("mode", "must be one of " + String.join(", ", VerificationSettings.Mode.configNames())
                    + ", got \"" + modeName + "\"");
        }
        String fallbackName = s.text("fallback", d.fallback().configName());
        VerificationSettings.Fallback fallback = VerificationSettings.Fallback.fromConfigName(fallbackName);
        if (fallback == null) {
            throw s.error("fallback", "must be one of " + String.join(", ", VerificationSettings.Fallback.configNames())
                    + ", got \"" + fallbackName + "\"");
        }
        long timeoutMs = s.whole("timeout-ms", d.timeoutMs(), 1, 3_600_000);
        int maxInFlight = s.wholeInt("max-in-flight", d.maxInFlight(), 1, 64);
        long deadlineFloorMs = s.whole("deadline-floor-ms", Math.min(d.deadlineFloorMs(), timeoutMs), 1, timeoutMs);
        long probeIntervalMs = s.whole("probe-interval-ms", d.probeIntervalMs(), 1, 3_600_000);
        boolean hedging = s.flag("hedging", d.hedging());
        long hedgeAfterMinMs = s.whole("hedge-after-min-ms", d.hedgeAfterMinMs(), 0, 3_600_000);
        s.rejectUnknownKeys();
        return new VerificationSettings(mode, fallback, timeoutMs, maxInFlight, deadlineFloorMs, probeIntervalMs,
                hedging, hedgeAfterMinMs);
    }

    private static Limits readLimits(ConfigSection s, Limits d) {
        int max = Integer.MAX_VALUE;
        Limits limits = new Limits(
                s.wholeInt("max-message-bytes", d.maxMessageBytes(), 1, max),
                s.wholeInt("max-subscriptions-per-connection", d.maxSubscriptionsPerConnection(), 1, max),
                s.wholeInt("max-filters-per-req", d.maxFiltersPerReq(), 1, max),
                s.wholeInt("max-limit", d.maxLimit(), 1, max),
                s.wholeInt("max-tags", d.maxTags(), 0, max),
                s.wholeInt("max-content-bytes", d.maxContentBytes(), 0, max),
                s.whole("max-future-seconds", d.maxFutureSeconds(), 0, Long.MAX_VALUE),
                s.whole("max-past-seconds", d.maxPastSeconds(), 0, Long.MAX_VALUE),
                s.wholeInt("max-events-per-second-per-connection", d.maxEventsPerSecondPerConnection(), 0, max));
        return limits;
    }

    /** The rest of the {@code limits} section; unknown keys are rejected by the caller once both have read it. */
    private static AbuseLimits readAbuseLimits(ConfigSection s, AbuseLimits d) {
        int max = Integer.MAX_VALUE;
        int eventBurstPerConnection = s.wholeInt("event-burst-per-connection", d.eventBurstPerConnection(), 1, max);
        RateLimit eventsPerIp = rate(s, "max-events-per-second-per-ip", "event-burst-per-ip", d.eventsPerIp());
        RateLimit reqsPerConnection = rate(s, "max-reqs-per-second-per-connection", "req-burst-per-connection",
                d.reqsPerConnection());
        RateLimit reqsPerIp = rate(s, "max-reqs-per-second-per-ip", "req-burst-per-ip", d.reqsPerIp());
        int maxConnectionsPerIp = s.wholeInt("max-connections-per-ip", d.maxConnectionsPerIp(), 1, max);
        long idleTimeoutSeconds = s.whole("idle-timeout-seconds", d.idleTimeoutSeconds(), 0, 86_400);
        long pingIntervalSeconds = s.whole("ping-interval-seconds", d.pingIntervalSeconds(), 0, 86_400);
        long upgradeTimeoutSeconds = s.whole("upgrade-timeout-seconds", d.upgradeTimeoutSeconds(), 1, 3_600);
        long maxOutboundBytes = s.whole("max-outbound-bytes-per-connection", d.maxOutboundBytesPerConnection(),
                1_024, Long.MAX_VALUE);
        int maxPendingEvents = s.wholeInt("max-pending-events-per-connection", d.maxPendingEventsPerConnection(),
                1, max);
        int maxValuesPerFilter = s.wholeInt("max-values-per-filter", d.maxValuesPerFilter(), 1, max);
        long queryBudgetMillis = s.whole("query-budget-ms", d.queryBudgetMillis(), 0, 3_600_000);
        int maxConcurrentQueries = s.wholeInt("max-concurrent-queries-per-connection",
                d.maxConcurrentQueriesPerConnection(), 1, 1_024);
        long negentropyBudgetMillis = s.whole("negentropy-budget-ms", d.negentropyBudgetMillis(), 0, 3_600_000);
        return new AbuseLimits(eventBurstPerConnection, eventsPerIp, reqsPerConnection, reqsPerIp, maxConnectionsPerIp,
                idleTimeoutSeconds, pingIntervalSeconds, upgradeTimeoutSeconds, maxOutboundBytes, maxPendingEvents,
                maxValuesPerFilter, queryBudgetMillis, maxConcurrentQueries, negentropyBudgetMillis);
    }

    private static RateLimit rate(ConfigSection s, String rateKey, String burstKey, RateLimit d) {
        int perSecond = s.wholeInt(rateKey, d.perSecond(), 0, Integer.MAX_VALUE);
        int burst = s.wholeInt(burstKey, d.burst(), 1, Integer.MAX_VALUE);
        return new RateLimit(perSecond, burst);
    }

    private static AuthSettings readAuth(ConfigSection s, AuthSettings d) {
        boolean enabled = s.flag("enabled", d.enabled());
        String relayUrl = s.text("relay-url", d.relayUrl());
        if (!relayUrl.isEmpty() && !relayUrl.startsWith("ws://") && !relayUrl.startsWith("wss://")) {
            throw s.error("relay-url", "must be a ws:// or wss:// URL, or empty, got \"" + relayUrl + "\"");
        }
        boolean forWrites = s.flag("required-for-writes", d.requiredForWrites());
        boolean forReads = s.flag("required-for-reads", d.requiredForReads());
        long maxAge = s.whole("max-age-seconds", d.maxAgeSeconds(), 1, 86_400);
        s.rejectUnknownKeys();
        if (!enabled && (forWrites || forReads)) {
            throw s.error(forWrites ? "required-for-writes" : "required-for-reads", "needs auth.enabled: true");
        }
        return new AuthSettings(enabled, relayUrl, forWrites, forReads, maxAge);
    }

    private static WritePolicy readWritePolicy(ConfigSection s, WritePolicy d) {
        int minPow = s.wholeInt("min-pow-difficulty", d.minPowDifficulty(), 0, WritePolicy.MAX_POW_DIFFICULTY);
        Set<String> allowedPubkeys = pubkeys(s, "allowed-pubkeys", d.allowedPubkeys());
        Set<String> deniedPubkeys = pubkeys(s, "denied-pubkeys", d.deniedPubkeys());
        Set<Integer> allowedKinds = kinds(s, "allowed-kinds", d.allowedKinds());
        Set<Integer> deniedKinds = kinds(s, "denied-kinds", d.deniedKinds());
        s.rejectUnknownKeys();
        return new WritePolicy(minPow, allowedPubkeys, deniedPubkeys, allowedKinds, deniedKinds);
    }

    private static Set<String> pubkeys(ConfigSection s, String key, Set<String> fallback) {
        List<String> values = s.textList(key, null);
        if (values == null) {
            return fallback;
        }
        for (String pubkey : values) {
            if (!Hex.isLowerHex(pubkey, 64)) {
                throw s.error(key, "must hold public keys as 64 lowercase hex characters (not npub), got \""
                        + pubkey + "\"");
            }
        }
        return new LinkedHashSet<>(values);
    }

    private static Set<Integer> kinds(ConfigSection s, String key, Set<Integer> fallback) {
        List<Long> values = s.wholeList(key, null, 0, 65_535);
        if (values == null) {
            return fallback;
        }
        Set<Integer> kinds = new LinkedHashSet<>();
        values.forEach(kind -> kinds.add(kind.intValue()));
        return kinds;
    }

    private static RelayInfo readInfo(ConfigSection s, RelayInfo d) {
        String name = s.text("name", d.name());
        String description = s.text("description", d.description());
        String pubkey = s.text("pubkey", d.pubkey());
        if (!pubkey.isEmpty() && !Hex.isLowerHex(pubkey, 64)) {
            throw s.error("pubkey", "must be the operator's public key as 64 lowercase hex characters (not npub), or empty");
        }
        String contact = s.text("contact", d.contact());
        String icon = s.text("icon", d.icon());
        s.rejectUnknownKeys();
        return new RelayInfo(name, description, pubkey, contact, icon);
    }
}
