package org.nostrgpu.relay;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/node/nip77-interop.mjs} with nostr-tools, installed from the npm registry into
 * {@code target/nip77-interop} (never into the repository; reused while the pinned versions stay). Without
 * {@code node} and {@code npm} on the PATH the calling test is skipped with a message saying so; CI checks that it
 * was not skipped there ({@code .ci/check-nip77-interop.sh}).
 */
final class NodeInterop {
    static final String NOSTR_TOOLS = "nostr-tools@2.25.2";
    static final String WS = "ws@8.23.1";
    private static final Path DIRECTORY = Path.of("target", "nip77-interop").toAbsolutePath();
    private static final Path SCRIPT_SOURCE = Path.of("src", "test", "node", "nip77-interop.mjs");

    private NodeInterop() {
    }

    /** Installs what the script needs (once) and returns the directory holding the script; skips without node. */
    static Path prepare() throws Exception {
        for (String tool : List.of("node", "npm")) {
            Assumptions.assumeTrue(runs(tool, "--version"),
                    "the NIP-77 interop test needs " + tool + " (Node.js 18+ and npm) on the PATH: skipped");
        }
        Files.createDirectories(DIRECTORY);
        Path marker = DIRECTORY.resolve("installed-" + NOSTR_TOOLS.replace('/', '_') + "+" + WS);
        if (!Files.exists(marker)) {
            Path packageJson = DIRECTORY.resolve("package.json");
            if (!Files.exists(packageJson)) {
                Files.writeString(packageJson, "{\"name\":\"nip77-interop\",\"private\":true,\"type\":\"module\"}\n");
            }
            Process install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
                    NOSTR_TOOLS, WS).directory(DIRECTORY.toFile()).redirectErrorStream(true).start();
            String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!install.waitFor(300, TimeUnit.SECONDS) || install.exitValue() != 0) {
                throw new IllegalStateException("npm install " + NOSTR_TOOLS + " " + WS + " failed:\n" + output);
            }
            Files.writeString(marker, "");
        }
        Files.copy(SCRIPT_SOURCE, DIRECTORY.resolve("nip77-interop.mjs"), StandardCopyOption.REPLACE_EXISTING);
        return DIRECTORY;
    }

    /** Starts {@code node nip77-interop.mjs args...} in the prepared directory. */
    static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("node", "nip77-interop.mjs"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(DIRECTORY.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    static Path file(String name) {
        return DIRECTORY.resolve(name);
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (InputStream ignored = process.getInputStream()) {
                ignored.readAllBytes();
            }
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
