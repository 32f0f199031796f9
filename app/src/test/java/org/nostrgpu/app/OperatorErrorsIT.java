package org.nostrgpu.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built jar, started as an operator starts it, on two mistakes: a client port another process holds and a
 * subcommand that does not exist. What it prints is what {@link OperatorErrorsTest} checks record by record; here
 * the process's own output and exit status. Output: {@code target/it-logs/operator-*.log}.
 */
class OperatorErrorsIT {
    private static final Duration EXIT_BOUND = Duration.ofSeconds(60);
    private static final Path JAR =
            Path.of(System.getProperty("nostr.app.jar", "target/nostr-gpu-relay.jar")).toAbsolutePath();
    private static final Path LOGS = Path.of(System.getProperty("nostr.it.logs", "target/it-logs")).toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void aRelayWhosePortIsTakenSaysSoInOneLineAndExitsWithOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             ChildJvm relay = ChildJvm.start("operator-port-in-use", JAR, LOGS, List.of("relay", "--host", "127.0.0.1",
                     "--port", String.valueOf(taken.getLocalPort()), "--data", tmp.resolve("data").toString()))) {
            assertEquals(1, relay.awaitExit(EXIT_BOUND), relay.logTail(30));
            String log = relay.logText();
            assertTrue(log.contains(" SEVERE RelayCommand: relay could not start: client port 127.0.0.1:"
                    + taken.getLocalPort() + ": address already in use" + System.lineSeparator()), log);
            assertFalse(log.lines().anyMatch(line -> line.startsWith("\tat ") || line.startsWith("Caused by")),
                    "no stack trace:\n" + log);
        }
    }

    @Test
    void anUnknownSubcommandWithHelpExitsWithTwo() throws Exception {
        try (ChildJvm command = ChildJvm.start("operator-unknown-subcommand", JAR, LOGS, List.of("replay", "--help"))) {
            assertEquals(2, command.awaitExit(EXIT_BOUND), command.logTail(30));
            assertTrue(command.logText().startsWith("unknown subcommand 'replay'"), command.logText());
        }
    }
}
