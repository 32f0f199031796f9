package org.nostrgpu.relay;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import org.nostrgpu.common.event.Hex;
import org.nostrgpu.common.negentropy.ItemSet;
import org.nostrgpu.common.negentropy.Negentropy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nostrgpu.relay.TestRelays.LIMITS;

/**
 * NIP-77 against nostr-tools' negentropy (JavaScript, written by others): its {@code NegentropySync} reconciles
 * with this relay over a real WebSocket, and its initiator, fed the same answers as ours, writes byte for byte the
 * same messages and finds the same differences.
 */
class NostrToolsNegentropyInteropTest {
    @RegisterExtension
    static final SharedRelay RELAY = new SharedRelay(LIMITS);
    private static final int STORED = 400;
    private static final List<Event> EVENTS = new ArrayList<>();
    private static final EventSigner AUTHOR = EventSigner.random();

    @BeforeAll
    static void prepare() throws Exception {
        NodeInterop.prepare();
        long now = TestRelays.now();
        try (RelayTestClient publisher = RELAY.connect()) {
            EventSigner other = EventSigner.random();
            for (int i = 0; i < STORED; i++) {
                Event event = (i % 4 == 0 ? AUTHOR : other).sign(now - 5_000 + i / 2, 1, List.of(), "interop " + i);
                EVENTS.add(event);
                publisher.send("[\"EVENT\"," + event.toJson() + "]");
            }
            for (int i = 0; i < STORED; i++) {
                assertTrue(publisher.next("OK").getBoolean(2));
            }
        }
    }

    @Test
    void nostrToolsNegentropySyncReconcilesWithThisRelay() throws Exception {
        Random random = new Random(5);
        List<Object[]> clientItems = new ArrayList<>();
        Set<String> relayOnly = new HashSet<>();
        for (Event event : EVENTS) {
            if (random.nextInt(20) == 0) {
                relayOnly.add(event.id());
            } else {
                clientItems.add(new Object[] {event.createdAt(), event.id()});
            }
        }
        Set<String> clientOnly = new HashSet<>();
        for (int i = 0; i < 15; i++) {
            byte[] id = new byte[32];
            random.nextBytes(id);
            clientOnly.add(Hex.encode(id));
            clientItems.add(new Object[] {EVENTS.get(random.nextInt(STORED)).createdAt(), Hex.encode(id)});
        }
        JsonObject result = runClient(clientItems, new JsonObject());
        assertEquals(clientOnly, set(result.getJsonArray("have")), result.encode());
        assertEquals(relayOnly, set(result.getJsonArray("need")), result.encode());

        JsonObject byAuthor = runClient(List.of(), new JsonObject().put("authors", new JsonArray().add(AUTHOR.pubkey())));
        assertEquals(EVENTS.stream().filter(e -> e.pubkey().equals(AUTHOR.pubkey())).map(Event::id)
                .collect(Collectors.toSet()), set(byAuthor.getJsonArray("need")));
    }

    @Test
    void ourInitiatorWritesTheSameMessagesAsNostrTools() throws Exception {
        Random random = new Random(9);
        ItemSet.Builder ours = new ItemSet.Builder(0);
        ItemSet.Builder theirs = new ItemSet.Builder(0);
        List<Object[]> oursAsJson = new ArrayList<>();
        for (int i = 0; i < 6_000; i++) {
            long time = 1_700_000_000L + random.nextInt(3_000);
            byte[] id = new byte[32];
            random.nextBytes(id);
            int where = random.nextInt(50);
            if (where != 0) {
                ours.add(time, id);
                oursAsJson.add(new Object[] {time, Hex.encode(id)});
            }
            if (where != 1) {
                theirs.add(time, id);
            }
        }
        int frameLimit = 4_096;
        Path items = writeItems("lockstep-items.json", oursAsJson);
        Process node = NodeInterop.start("initiate", items.toString(), String.valueOf(frameLimit));
        try (BufferedReader fromNode = new BufferedReader(new InputStreamReader(node.getInputStream(),
                StandardCharsets.UTF_8));
             Writer toNode = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
            Negentropy initiator = new Negentropy(ours.build(), frameLimit);
            Negentropy responder = new Negentropy(theirs.build(), frameLimit);
            List<byte[]> have = new ArrayList<>();
            List<byte[]> need = new ArrayList<>();
            byte[] message = initiator.initiate();
            assertEquals(Hex.encode(message), fromNode.readLine(), "initial message");
            int rounds = 0;
            while (message != null) {
                byte[] answer = responder.respond(message);
                toNode.write(Hex.encode(answer) + "\n");
                toNode.flush();
                message = initiator.next(answer, have, need);
                String nodeMessage = fromNode.readLine();
                assertNotNull(nodeMessage, "nostr-tools ended early");
                assertEquals(message == null ? "null" : Hex.encode(message), nodeMessage, "message " + (++rounds));
            }
            assertTrue(rounds >= 2, "rounds: " + rounds);
            JsonObject nodeResult = new JsonObject(fromNode.readLine());
            assertEquals(set(nodeResult.getJsonArray("have")), have.stream().map(Hex::encode).collect(Collectors.toSet()));
            assertEquals(set(nodeResult.getJsonArray("need")), need.stream().map(Hex::encode).collect(Collectors.toSet()));
            assertFalse(have.isEmpty() || need.isEmpty());
        } finally {
            node.waitFor(30, TimeUnit.SECONDS);
            node.destroyForcibly();
        }
    }

    private static JsonObject runClient(List<Object[]> items, JsonObject filter) throws Exception {
        Path file = writeItems("client-items.json", items);
        Process node = NodeInterop.start("client", "ws://127.0.0.1:" + RELAY.port() + "/", file.toString(),
                filter.encode());
        try {
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(node.waitFor(60, TimeUnit.SECONDS), "nostr-tools did not finish");
            JsonObject result = new JsonObject(output.lines().reduce((first, last) -> last).orElse("{}"));
            assertFalse(result.containsKey("error"), output);
            return result;
        } finally {
            node.destroyForcibly();
        }
    }

    private static Path writeItems(String name, List<Object[]> items) throws Exception {
        JsonArray array = new JsonArray();
        items.forEach(item -> array.add(new JsonArray().add(item[0]).add(item[1])));
        Path file = NodeInterop.file(name);
        Files.writeString(file, array.encode());
        return file;
    }

    private static Set<String> set(JsonArray array) {
        Set<String> out = new HashSet<>();
        array.forEach(value -> out.add((String) value));
        return out;
    }
}
