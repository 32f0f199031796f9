package org.nostrgpu.relay;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.nostrgpu.common.config.AbuseLimits;
import org.nostrgpu.common.config.Limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One relay for all tests of a class, with its own Vert.x and a temporary data directory, started before the
 * first test and closed (directory removed) after the last:
 * {@code @RegisterExtension static final SharedRelay RELAY = new SharedRelay(TestRelays.LIMITS);}
 */
final class SharedRelay implements BeforeAllCallback, AfterAllCallback {
    private final Limits limits;
    private final AbuseLimits abuse;
    private Vertx vertx;
    private Path dataDir;
    private RelayNode relay;

    SharedRelay(Limits limits) {
        this(limits, AbuseLimits.defaults());
    }

    SharedRelay(Limits limits, AbuseLimits abuse) {
        this.limits = limits;
        this.abuse = abuse;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        vertx = Vertx.vertx();
        dataDir = Files.createTempDirectory("relay-test-");
        relay = TestRelays.start(vertx, TestRelays.config(dataDir, limits).withAbuse(abuse));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (relay != null) {
                relay.close().await(15, TimeUnit.SECONDS);
            }
        } finally {
            vertx.close().await(15, TimeUnit.SECONDS);
            deleteTree(dataDir);
        }
    }

    Vertx vertx() {
        return vertx;
    }

    int port() {
        return relay.port();
    }

    RelayNode relay() {
        return relay;
    }

    /** A new WebSocket client on the relay; the caller closes it. */
    RelayTestClient connect() throws Exception {
        return RelayTestClient.connect(vertx, relay.port());
    }

    private static void deleteTree(Path root) throws IOException {
        List<Path> deepestFirst;
        try (Stream<Path> paths = Files.walk(root)) {
            deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : deepestFirst) {
            Files.deleteIfExists(path);
        }
    }
}
