package org.nostrgpu.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.config.ConfigException;
import org.nostrgpu.common.config.ConfigLoader;
import org.nostrgpu.common.config.RelayConfig;
import org.nostrgpu.common.config.VerificationSettings;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code relay} subcommand: help text, where settings come from, and a real start with publish and query. */
class RelayCommandTest {
    @TempDir
    Path tmp;

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(out));
        int exit = commandLine.execute(args);
        assertEquals(0, exit, out.toString());
        return out.toString();
    }

    @Test
    void topLevelHelpListsTheRelaySubcommand() {
        String help = run("--help");
        assertTrue(help.contains("relay"), help);
        assertTrue(help.contains("Run a relay node"), help);
    }

    @Test
    void relayHelpDescribesEveryOption() {
        // picocli wraps long descriptions: compare with the line breaks and indentation folded
        String help = run("relay", "--help").replaceAll("\\s+", " ");
        for (String expected : List.of("--host=ADDRESS", "Address to listen on", "--port=PORT", "0 picks a free port",
                "--data=DIR", "nostr.sqlite3", "--config=FILE", "NOSTR_RELAY_CONFIG",
                "--verification=auto|embedded|cluster|local", "only the cluster's workers",
                "--verification-fallback=cpu|reject", "OK false", "embedded default", "/metrics")) {
            assertTrue(help.contains(expected), "help should mention '" + expected + "':\n" + help);
        }
    }

    @Test
    void builtInDefaultsListenOnAllInterfacesPort6969AndStoreUnderData() {
        RelayConfig config = RelayConfigResolver.resolve(
                RelayConfigResolver.configFile(null, Map.of()), null, null, null, Map.of());
        assertEquals("0.0.0.0", config.host());
        assertEquals(6969, config.port());
        assertEquals("./data", config.dataDir());
    }

    @Test
    void commandLineBeatsEnvironmentWhichBeatsTheFile() throws Exception {
        Path file = tmp.resolve("relay.yaml");
        Files.writeString(file, "host: \"10.0.0.1\"\nport: 7000\ndata-dir: \"/srv/from-file\"\n");

        RelayConfig fromFile = RelayConfigResolver.resolve(file, null, null, null, Map.of());
        assertEquals("10.0.0.1", fromFile.host());
        assertEquals(7000, fromFile.port());
        assertEquals("/srv/from-file", fromFile.dataDir());

        Map<String, String> env = Map.of("HOST", "10.0.0.2", "PORT", "7001");
        RelayConfig fromEnv = RelayConfigResolver.resolve(file, null, null, null, env);
        assertEquals("10.0.0.2", fromEnv.host());
        assertEquals(7001, fromEnv.port());

        RelayConfig fromCli = RelayConfigResolver.resolve(file, "127.0.0.1", 7002, Path.of("/srv/cli"), env);
        assertEquals("127.0.0.1", fromCli.host());
        assertEquals(7002, fromCli.port());
        assertEquals("/srv/cli", fromCli.dataDir());
    }

    @Test
    void verificationOptionsBeatTheFile() throws Exception {
        Path file = tmp.resolve("relay.yaml");
        Files.writeString(file, "verification:\n  mode: local\n  fallback: reject\n  timeout-ms: 1500\n");
        RelayConfig fromFile = RelayConfigResolver.withVerificationOptions(
                RelayConfigResolver.resolve(file, null, null, null, Map.of()), null, null);
        assertEquals(VerificationSettings.Mode.LOCAL, fromFile.verification().mode());
        assertEquals(VerificationSettings.Fallback.REJECT, fromFile.verification().fallback());

        RelayConfig fromCli = RelayConfigResolver.withVerificationOptions(fromFile, "cluster", "cpu");
        assertEquals(VerificationSettings.Mode.CLUSTER, fromCli.verification().mode());
        assertEquals(VerificationSettings.Fallback.CPU, fromCli.verification().fallback());
        assertEquals(1500, fromCli.verification().timeoutMs(), "keys without an option still come from the file");

        RelayConfig defaults = RelayConfigResolver.withVerificationOptions(ConfigLoader.defaults(), null, null);
        assertEquals(VerificationSettings.Mode.AUTO, defaults.verification().mode());
        assertEquals(VerificationSettings.Fallback.CPU, defaults.verification().fallback());

        ConfigException badMode = assertThrows(ConfigException.class,
                () -> RelayConfigResolver.withVerificationOptions(defaults, "gpu", null));
        assertTrue(badMode.getMessage().contains("--verification"), badMode.getMessage());
        ConfigException badFallback = assertThrows(ConfigException.class,
                () -> RelayConfigResolver.withVerificationOptions(defaults, null, "drop"));
        assertTrue(badFallback.getMessage().contains("--verification-fallback"), badFallback.getMessage());
    }

    @Test
    void configFileComesFromTheOptionElseTheEnvironment() {
        Map<String, String> env = Map.of(RelayConfigResolver.CONFIG_ENV, "/etc/nostr/relay.yaml");
        assertEquals(Path.of("/etc/nostr/relay.yaml"), RelayConfigResolver.configFile(null, env));
        assertEquals(Path.of("mine.yaml"), RelayConfigResolver.configFile(Path.of("mine.yaml"), env));
        assertNull(RelayConfigResolver.configFile(null, Map.of()));
    }

    @Test
    void aBadConfigFileStopsTheCommandWithAnErrorNamingIt() throws Exception {
        Path file = tmp.resolve("bad.yaml");
        Files.writeString(file, "port: \"not a number\"\n");
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err));
        assertEquals(2, commandLine.execute("relay", "--config", file.toString()));
        assertTrue(err.toString().contains("port"), err.toString());
    }

    @Test
    void relayStartsAndAClientCanPublishAndQuery() throws Exception {
        CommandLine commandLine = Main.commandLine();
        CommandLine.ParseResult parsed = commandLine.parseArgs(
                "relay", "--host", "127.0.0.1", "--port", "0", "--data", tmp.resolve("data").toString());
        RelayCommand command = (RelayCommand) parsed.subcommand().commandSpec().userObject();
        command.environment = Map.of();
        RunningRelay relay = command.start();
        try {
            assertTrue(relay.port() > 0);
            assertTrue(relay.node().hasEmbeddedWorker(), "without cluster options a worker runs in the relay's JVM");
            assertEquals("http://127.0.0.1:" + relay.port() + "/health/ready", relay.healthUrl());
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(relay.healthUrl())).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            Event event = EventSigner.random().sign(System.currentTimeMillis() / 1000, 1, List.of(), "hello from the app");
            TextSocket socket = TextSocket.open(relay.port());
            assertTrue(socket.next().startsWith("[\"AUTH\",\""), "NIP-42 is on by default: a challenge comes first");
            socket.send("[\"EVENT\"," + event.toJson() + "]");
            assertEquals("[\"OK\",\"" + event.id() + "\",true,\"\"]", socket.next());
            socket.send("[\"REQ\",\"q\",{\"ids\":[\"" + event.id() + "\"]}]");
            assertEquals("[\"EVENT\",\"q\"," + event.toJson() + "]", socket.next());
            assertEquals("[\"EOSE\",\"q\"]", socket.next());
            socket.close();
        } finally {
            relay.stop();
        }
        assertTrue(Files.exists(tmp.resolve("data").resolve("nostr.sqlite3")));
    }

    /** A minimal text WebSocket client on the JDK's HttpClient. */
    private static final class TextSocket implements WebSocket.Listener {
        private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static TextSocket open(int port) throws Exception {
            TextSocket listener = new TextSocket();
            listener.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), listener)
                    .get(5, TimeUnit.SECONDS);
            return listener;
        }

        void send(String text) throws Exception {
            socket.sendText(text, true).get(5, TimeUnit.SECONDS);
        }

        String next() throws InterruptedException {
            String frame = frames.poll(5, TimeUnit.SECONDS);
            assertNotNull(frame, "no frame from the relay");
            return frame;
        }

        void close() throws Exception {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
