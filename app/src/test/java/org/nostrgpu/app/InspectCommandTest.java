package org.nostrgpu.app;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code inspect}'s command line: the help lists every field, bad options exit 2 before joining anything. */
class InspectCommandTest {
    @Test
    void helpDocumentsEveryField() {
        Run help = run("inspect", "--help");
        assertEquals(0, help.status(), help.err());
        for (Map<String, String> fields : List.of(InspectFields.TOP, InspectFields.RELAY, InspectFields.WORKER)) {
            for (String field : fields.keySet()) {
                assertTrue(help.out().contains("  " + field + ": "), field + " is missing from:\n" + help.out());
            }
        }
        assertTrue(help.out().contains("--once") && help.out().contains("--tail-verify"), help.out());
        assertTrue(InspectFields.documents(InspectFields.RELAY, "counters.events.rejected.rate-limited"));
        assertTrue(InspectFields.documents(InspectFields.RELAY, "counters.verdicts.cpu_fallback.valid"));
        assertTrue(!InspectFields.documents(InspectFields.RELAY, "counters.verdicts.worker"));
    }

    @Test
    void withoutAClusterOrWithBadFiltersItExitsTwo() {
        Run alone = run("inspect", "--once");
        assertEquals(2, alone.status());
        assertTrue(alone.err().startsWith("error: inspect joins a cluster"), alone.err());
        Run author = run("inspect", "--cluster-port", "5799", "--author", "ABC");
        assertEquals(2, author.status());
        assertTrue(author.err().contains("--author must be 64 lowercase hex characters, got \"ABC\""), author.err());
        Run kind = run("inspect", "--cluster-port", "5799", "--kind", "70000");
        assertEquals(2, kind.status());
        assertTrue(kind.err().contains("--kind must be from 0 to 65535"), kind.err());
        Run timing = run("inspect", "--cluster-port", "5799", "--interval", "500", "--wait", "600");
        assertEquals(2, timing.status());
        assertTrue(timing.err().contains("--wait must be at least 10 ms and less than --interval"), timing.err());
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        InspectCommand inspect = commandLine.getSubcommands().get("inspect").getCommand();
        inspect.environment = Map.of();
        int status = commandLine.execute(args);
        return new Run(status, out.toString(), err.toString());
    }
}
