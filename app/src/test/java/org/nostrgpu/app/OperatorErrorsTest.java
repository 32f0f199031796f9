package org.nostrgpu.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.logging.CapturedLog;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What an operator reads when {@code relay} or {@code worker} cannot start for a reason outside the configuration
 * values: exit status 1 and one log line naming the port, directory or file and the cause, without a stack trace.
 * The commands run in this JVM as the jar runs them (parsed by {@link Main#commandLine()}, started by
 * {@link ServiceRunner}); their log records are captured.
 */
@Timeout(120) // a start that unexpectedly succeeds would run until stopped: fail instead of hanging the build
class OperatorErrorsTest {
    private CapturedLog log;

    @TempDir
    Path tmp;

    @BeforeEach
    void captureTheCommandsLog() {
        log = CapturedLog.of("org.nostrgpu.app");
    }

    @AfterEach
    void stopCapturing() {
        log.close();
    }

    @Test
    void aClientPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = busyPort()) {
            int port = taken.getLocalPort();
            assertOneLineFailure("relay could not start: client port 127.0.0.1:" + port + ": address already in use",
                    "relay", "--host", "127.0.0.1", "--port", String.valueOf(port), "--data", dataDir());
        }
    }

    @Test
    void aHealthPortInUseIsNamedAsTheHealthPort() throws Exception {
        try (ServerSocket taken = busyPort()) {
            int port = taken.getLocalPort();
            assertOneLineFailure("worker could not start: health port 127.0.0.1:" + port + ": address already in use",
                    "worker", "--backend", "cpu", "--cpu-threads", "1", "--health-host", "127.0.0.1",
                    "--health-port", String.valueOf(port));
        }
    }

    @Test
    void aClusterPortInUseIsNamedWithoutHazelcastsAndVertxsReports() throws Exception {
        try (ServerSocket taken = busyPort()) {
            int port = taken.getLocalPort();
            assertOneLineFailure("relay could not start: cluster port 127.0.0.1:" + port + ": address already in use",
                    "relay", "--host", "127.0.0.1", "--port", "0", "--data", dataDir(),
                    "--cluster-host", "127.0.0.1", "--cluster-port", String.valueOf(port));
        }
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedSaysWhy() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        Path data = file.resolve("data");
        assertOneLineFailure("relay could not start: data directory " + data + ": cannot be created: " + file
                        + " is not a directory",
                "relay", "--port", "0", "--data", data.toString());
    }

    @Test
    void aDataDirectoryTheSystemRefusesToCreateSaysWhy() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc")), "needs Linux's /proc, where no directory can be created");
        assertOneLineFailure("relay could not start: data directory /proc/nope: cannot be created: "
                + "no such file or directory", "relay", "--port", "0", "--data", "/proc/nope");
    }

    @Test
    void anUnwritableDataDirectorySaysPermissionDenied() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(data),
                    "running as root: permissions do not stop root from writing, so there is nothing to refuse");
            assertOneLineFailure("relay could not start: data directory " + data
                    + ": not writable by this process: permission denied", "relay", "--port", "0", "--data", data.toString());
        } finally {
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aDatabaseFileSqliteCannotOpenIsNamed() throws Exception {
        // the database path leads nowhere: SQLite cannot create the file, whoever runs it (root included)
        Path data = Files.createDirectory(tmp.resolve("data"));
        Path database = data.resolve("nostr.sqlite3");
        Files.createSymbolicLink(database, tmp.resolve("missing").resolve("nostr.sqlite3"));
        String line = runAndExpectOneLineFailure("relay", "--port", "0", "--data", data.toString());
        assertTrue(line.startsWith("relay could not start: database " + database + ": [SQLITE_CANTOPEN]"), line);
    }

    @Test
    void anUnknownSubcommandIsRefusedAlsoWithHelp() {
        for (List<String> args : List.of(List.of("replay", "--help"), List.of("replay"))) {
            StringWriter err = new StringWriter();
            CommandLine commandLine = Main.commandLine();
            commandLine.setOut(new PrintWriter(new StringWriter()));
            commandLine.setErr(new PrintWriter(err));
            assertEquals(2, commandLine.execute(args.toArray(String[]::new)), err.toString());
            assertTrue(err.toString().startsWith("unknown subcommand 'replay' (the subcommands are 'relay', "
                    + "'worker', 'inspect', 'import', 'export', 'sync', 'bench', 'help')"), err.toString());
        }
    }

    private void assertOneLineFailure(String expected, String... args) throws Exception {
        assertEquals(expected, runAndExpectOneLineFailure(args));
    }

    /** Runs the command, which must fail with status 1 and one SEVERE record without a stack trace; its text. */
    private String runAndExpectOneLineFailure(String... args) throws Exception {
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err));
        CommandLine.ParseResult parsed = commandLine.parseArgs(args);
        Object command = parsed.subcommand().commandSpec().userObject();
        if (command instanceof RelayCommand relay) {
            relay.environment = Map.of();
        } else {
            ((WorkerCommand) command).environment = Map.of();
        }
        assertEquals(1, commandLine.getExecutionStrategy().execute(parsed), err + " " + messages());
        List<LogRecord> severe = log.records().stream().filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue())
                .toList();
        assertEquals(1, severe.size(), messages());
        assertNull(severe.get(0).getThrown(), "the line comes without a stack trace");
        return severe.get(0).getMessage();
    }

    private String messages() {
        return log.records().stream().map(r -> r.getLevel() + " " + r.getMessage()).toList().toString();
    }

    private String dataDir() {
        return tmp.resolve("data").toString();
    }

    private static ServerSocket busyPort() throws Exception {
        return new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    }
}
