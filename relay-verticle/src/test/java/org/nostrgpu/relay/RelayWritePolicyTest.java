package org.nostrgpu.relay;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.config.WritePolicy;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.relay.info.RelayInformationDocument;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator's write policy over a real WebSocket: NIP-13 proof of work, and denied authors and kinds. */
@ExtendWith(VertxExtension.class)
class RelayWritePolicyTest {
    private static final int DIFFICULTY = 8;

    @TempDir
    Path dataDir;

    @Test
    void eventsWithoutTheProofOfWorkOrFromDeniedAuthorsAndKindsAreRefused(Vertx vertx) throws Exception {
        EventSigner author = EventSigner.random();
        EventSigner denied = EventSigner.random();
        WritePolicy policy = WritePolicy.open().withMinPowDifficulty(DIFFICULTY)
                .withPubkeys(Set.of(), Set.of(denied.pubkey())).withKinds(Set.of(), Set.of(4));
        RelayConfig config = TestRelays.config(dataDir, TestRelays.LIMITS).withWritePolicy(policy);
        RelayNode relay = TestRelays.start(vertx, config);
        try (RelayTestClient client = RelayTestClient.connect(vertx, relay.port())) {
            Event mined = mine(author, 1);
            client.publishAccepted(mined);
            JsonArray unmined = client.publish(TestRelays.sign(author, 1, List.of(List.of("nonce", "0", "0")), "lazy"));
            assertFalse(unmined.getBoolean(2));
            assertTrue(unmined.getString(3).startsWith("pow: "), unmined.encode());
            assertBlocked(client.publish(mine(denied, 1)), "pubkey");
            assertBlocked(client.publish(mine(author, 4)), "kind 4");
            assertEquals(1, client.req("all", "{\"kinds\":[1,4]}").size(), "only the mined event is stored");
        } finally {
            relay.close().await(15, TimeUnit.SECONDS);
        }
        JsonObject document = RelayInformationDocument.build(config, "test");
        assertTrue(document.getJsonArray("supported_nips").contains(13));
        assertEquals(DIFFICULTY, document.getJsonObject("limitation").getInteger("min_pow_difficulty"));
        assertEquals(true, document.getJsonObject("limitation").getBoolean("restricted_writes"));
    }

    private static void assertBlocked(JsonArray ok, String what) {
        assertFalse(ok.getBoolean(2), ok.encode());
        assertTrue(ok.getString(3).startsWith("blocked: ") && ok.getString(3).contains(what), ok.encode());
    }

    /** NIP-13 mining: a nonce tag committing to the difficulty, counted up until the id has enough zero bits. */
    private static Event mine(EventSigner author, int kind) {
        for (int nonce = 0; ; nonce++) {
            Event event = TestRelays.sign(author, kind,
                    List.of(List.of("nonce", Integer.toString(nonce), Integer.toString(DIFFICULTY))), "mined");
            if (event.id().startsWith("00")) { // 8 leading zero bits
                return event;
            }
        }
    }
}
