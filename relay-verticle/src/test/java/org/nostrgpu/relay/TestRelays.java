package org.nostrgpu.relay;

import io.vertx.core.Vertx;
import org.nostrgpu.common.config.Limits;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.config.RelayInfo;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.worker.VerificationWorkerVerticle;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starting real relays on a free loopback port with a temporary SQLite file, and making signed events. */
final class TestRelays {
    /** Small limits so each one is easy to exceed in a test. */
    /** What the application gives a relay: a verification worker in the same JVM for the embedded default. */
    static final RelayNodeOptions OPTIONS = RelayNodeOptions.defaults()
            .withEmbeddedWorker(VerificationWorkerVerticle::embeddedIn);
    static final Limits LIMITS = new Limits(16_384, 4, 3, 10, 20, 2_000, 900, 86_400L * 365, 0);

    private TestRelays() {
    }

    static RelayConfig config(Path dataDir, Limits limits) {
        return new RelayConfig("127.0.0.1", 0, dataDir.toString(), limits, RelayInfo.defaults(),
                2, 256, 100, 2, 300, 2);
    }

    static RelayNode start(Vertx vertx, Path dataDir, Limits limits) throws Exception {
        return start(vertx, config(dataDir, limits));
    }

    static RelayNode start(Vertx vertx, RelayConfig config) throws Exception {
        return RelayNode.start(vertx, config, OPTIONS).await(15, TimeUnit.SECONDS);
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    static Event sign(EventSigner signer, int kind, List<List<String>> tags, String content) {
        return signer.sign(now(), kind, tags, content);
    }

    /** The same event with one signature character changed: well-formed, id still right, signature wrong. */
    static Event withBadSignature(Event event) {
        char first = event.sig().charAt(0);
        String sig = (first == '0' ? '1' : '0') + event.sig().substring(1);
        return new Event(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(), event.content(), sig);
    }

    /** The same event with different content: id and signature no longer match it. */
    static Event withTamperedContent(Event event) {
        return new Event(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(),
                event.content() + " (edited)", event.sig());
    }

    /** A filter JSON for the events of {@code author}; {@code extra} adds more members, e.g. {@code ,"kinds":[1]}. */
    static String authorFilter(EventSigner author, String extra) {
        return "{\"authors\":[\"" + author.pubkey() + "\"]" + extra + "}";
    }

    static String eventFrame(Event event) {
        return "[\"EVENT\"," + event.toJson() + "]";
    }
}
