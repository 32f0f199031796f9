package org.nostrgpu.app;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real headless Chromium driven through the DevTools protocol (JSON over a WebSocket, spoken here with the JDK's
 * client, so no driver package is needed): opens a page, evaluates JavaScript in it, takes screenshots.
 *
 * <p>Chromium is {@code $CHROMIUM} or {@code /usr/bin/chromium} (Debian's package; {@code .ci/install-chromium.sh}
 * installs it). Without one the test is skipped with a message saying so, except under {@code CI=true}, where a
 * missing browser fails it: CI must run it.
 */
final class HeadlessChromium implements AutoCloseable {
    /** As root on a closed network: no sandbox, no GPU, nothing that reaches out. */
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-default-apps", "--mute-audio", "--window-size=1280,1100", "--remote-allow-origins=*",
            "--remote-debugging-port=0");
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://[^:/]+:(\\d+)/");

    private final Process process;
    private final Path profile;
    private final WebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();

    private HeadlessChromium(Process process, Path profile, String pageSocket) throws Exception {
        this.process = process;
        this.profile = profile;
        this.page = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(pageSocket), new Listener()).get(20, TimeUnit.SECONDS);
    }

    /** The browser binary, or a skip (a failure under CI=true) when there is none. */
    static Path binaryOrSkip() {
        String configured = System.getenv("CHROMIUM");
        Path binary = Path.of(configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured);
        if (!Files.isExecutable(binary)) {
            String message = "no Chromium at " + binary + " (set CHROMIUM, or on Debian run .ci/install-chromium.sh): "
                    + "the status page's browser test did not run";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + ", and CI=true requires it");
            }
            Assumptions.abort(message);
        }
        return binary;
    }

    /** Starts the browser on about:blank and connects to its page. */
    static HeadlessChromium start(Path binary, Path logDir) throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile");
        Files.createDirectories(logDir);
        Process process = new ProcessBuilder(concat(binary.toString(), "--user-data-dir=" + profile, "about:blank"))
                .redirectErrorStream(true).start();
        int port = devToolsPort(process, logDir.resolve("chromium.log"));
        String pageSocket = null;
        HttpClient http = HttpClient.newHttpClient();
        for (int attempt = 0; attempt < 100 && pageSocket == null; attempt++) {
            String targets = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher socket = Pattern.compile("\"type\"\\s*:\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\"\\s*:\\s*\"([^\"]+)\"",
                    Pattern.DOTALL).matcher(targets);
            if (socket.find()) {
                pageSocket = socket.group(1);
            } else {
                Thread.sleep(100);
            }
        }
        if (pageSocket == null) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium opened no page target");
        }
        return new HeadlessChromium(process, profile, pageSocket);
    }

    /** Navigates and waits for the load event's answer (the page's scripts then run). */
    void open(String url) throws Exception {
        call("Page.enable", new JsonObject());
        call("Page.navigate", new JsonObject().put("url", url));
    }

    /** The value of a JavaScript expression in the page (JSON-serialisable results only). */
    Object evaluate(String expression) throws Exception {
        JsonObject result = call("Runtime.evaluate", new JsonObject().put("expression", expression)
                .put("returnByValue", true)).getJsonObject("result");
        return result.getValue("value");
    }

    /** Waits until {@code expression} is true in the page. */
    void awaitTrue(String expression, Duration bound, String what) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!Boolean.TRUE.equals(evaluate(expression))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page did not show " + what + " within " + bound + " (" + expression + ")");
            }
            Thread.sleep(200);
        }
    }

    void screenshot(Path file) throws Exception {
        String data = call("Page.captureScreenshot", new JsonObject().put("format", "png")
                .put("captureBeyondViewport", true)).getString("data");
        Files.write(file, Base64.getDecoder().decode(data));
    }

    private JsonObject call(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pending.put(id, answer);
        page.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true)
                .get(10, TimeUnit.SECONDS);
        JsonObject reply = answer.get(30, TimeUnit.SECONDS);
        if (reply.containsKey("error")) {
            throw new IllegalStateException(method + " failed: " + reply.getJsonObject("error").encode());
        }
        return reply.getJsonObject("result");
    }

    @Override
    public void close() throws Exception {
        page.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(profile)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> path.toFile().delete());
        }
    }

    /** Reads the browser's output until it names its DevTools port; the rest goes to a log file. */
    private static int devToolsPort(Process process, Path log) throws Exception {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (var writer = Files.newBufferedWriter(log)) {
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                    writer.write(line);
                    writer.newLine();
                    writer.flush();
                    Matcher listening = LISTENING.matcher(line);
                    if (listening.find()) {
                        port.complete(Integer.parseInt(listening.group(1)));
                    }
                }
                port.completeExceptionally(new IllegalStateException("Chromium exited; see " + log));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        }, "chromium-output");
        reader.setDaemon(true);
        reader.start();
        return port.get(60, TimeUnit.SECONDS);
    }

    private static List<String> concat(String binary, String... more) {
        List<String> command = new java.util.ArrayList<>();
        command.add(binary);
        command.addAll(FLAGS);
        command.addAll(List.of(more));
        return command;
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonObject message = new JsonObject(partial.toString());
                partial.setLength(0);
                Integer id = message.getInteger("id");
                CompletableFuture<JsonObject> answer = id == null ? null : pending.remove(id);
                if (answer != null) {
                    answer.complete(message);
                }
            }
            socket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            pending.values().forEach(answer -> answer.completeExceptionally(error));
        }
    }
}
