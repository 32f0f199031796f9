package org.nostrgpu.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code import} and {@code export} in this JVM on real SQLite files: round trip, refused lines, --strict. */
class BulkCommandsTest {
    @TempDir
    Path tmp;

    /** A command's exit status with what it wrote on standard output and standard error. */
    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    static Result importFile(Path data, Path file, String... more) {
        List<String> args = new ArrayList<>(List.of("import", "--data", data.toString(), "--verification", "local",
                "--progress", "none"));
        args.addAll(List.of(more));
        args.add(file.toString());
        return run(args.toArray(String[]::new));
    }

    /** The export of {@code data} as text (decompressing a .gz output). */
    static String export(Path data, Path output, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("export", "--data", data.toString(), "--output", output.toString()));
        args.addAll(List.of(more));
        Result result = run(args.toArray(String[]::new));
        assertEquals(0, result.exit(), result.err());
        byte[] bytes = Files.readAllBytes(output);
        InputStream in = output.toString().endsWith(".gz")
                ? new GZIPInputStream(new ByteArrayInputStream(bytes)) : new ByteArrayInputStream(bytes);
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    static String exportOrder(List<Event> events) {
        StringBuilder text = new StringBuilder();
        events.stream().sorted(Comparator.comparingLong(Event::createdAt).thenComparing(Event::id))
                .forEach(event -> text.append(event.toJson()).append('\n'));
        return text.toString();
    }

    @Test
    void exportThenImportIntoAnEmptyDatabaseGivesTheSameSet() throws Exception {
        List<Event> notes = SignedEvents.notes(300, 0);
        EventSigner author = EventSigner.random();
        Event oldProfile = author.sign(SignedEvents.BASE_TIME + 10, 0, List.of(), "{\"name\":\"old\"}");
        Event newProfile = author.sign(SignedEvents.BASE_TIME + 20, 0, List.of(), "{\"name\":\"new\"}");
        EventSigner deleter = EventSigner.random();
        Event doomed = deleter.sign(SignedEvents.BASE_TIME + 30, 1, List.of(), "to be deleted");
        Event deleting = deleter.sign(SignedEvents.BASE_TIME + 31, 5, List.of(List.of("e", doomed.id())), "");
        List<Event> all = new ArrayList<>(notes);
        all.addAll(List.of(newProfile, oldProfile, doomed, deleting));
        Path source = SignedEvents.write(tmp.resolve("source.jsonl"), SignedEvents.json(all));

        Result first = importFile(tmp.resolve("a"), source);
        assertEquals(0, first.exit(), first.err());
        // whether the deleted note was stored before its deletion arrived depends on timing; the end state does not
        assertTrue(first.out().contains("import: 304 read, ") && first.out().contains(" 0 refused"), first.out());

        String exportedA = export(tmp.resolve("a"), tmp.resolve("a.jsonl.zst"));
        List<Event> kept = new ArrayList<>(notes);
        kept.addAll(List.of(newProfile, deleting));
        Path zst = tmp.resolve("a.jsonl.zst");
        String plainA = export(tmp.resolve("a"), tmp.resolve("a.jsonl"));
        assertEquals(exportOrder(kept), plainA, "the export holds what the relay's rules kept, oldest first");
        assertFalse(exportedA.equals(plainA), "the .zst output is compressed");

        Result second = importFile(tmp.resolve("b"), zst, "--timings");
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.out().contains("import: 302 read, 302 stored"), second.out());
        assertTrue(second.out().contains("events/s") && second.out().contains("CPU time of this process")
                && second.out().contains("main "), second.out());
        assertEquals(plainA, export(tmp.resolve("b"), tmp.resolve("b.jsonl.gz")));
    }

    @Test
    void corruptedLinesAreReportedWithTheirNumberAndNoneIsStored() throws Exception {
        List<Event> notes = SignedEvents.notes(4, 100);
        String good1 = notes.get(0).toJson();
        String good2 = notes.get(1).toJson();
        String good3 = notes.get(2).toJson();
        String wrongId = notes.get(3).toJson().replace("note 100/3", "note 100/3 edited");
        String badSig = flipLastSigDigit(SignedEvents.notes(1, 200).get(0).toJson());
        List<String> lines = List.of(good1, "this is not json", good2, wrongId, badSig,
                good3.substring(0, good3.length() / 2), "", good3);
        Path file = SignedEvents.write(tmp.resolve("corrupt.jsonl"), lines);

        Result result = importFile(tmp.resolve("c"), file);
        assertEquals(0, result.exit(), result.err());
        assertTrue(result.err().contains("line 2: invalid: "), result.err());
        assertTrue(result.err().contains("line 4: invalid: event id does not match"), result.err());
        assertTrue(result.err().contains("line 5: invalid: bad signature"), result.err());
        assertTrue(result.err().contains("line 6: invalid: "), result.err());
        assertEquals(4, result.err().lines().filter(line -> line.startsWith("line ")).count(), result.err());
        assertTrue(result.out().contains("import: 7 read, 3 stored, 0 already known, 4 refused"), result.out());
        assertEquals(exportOrder(List.of(notes.get(0), notes.get(1), notes.get(2))),
                export(tmp.resolve("c"), tmp.resolve("c.jsonl")));

        Result strict = importFile(tmp.resolve("s"), file, "--strict");
        assertEquals(1, strict.exit(), strict.out() + strict.err());
        assertTrue(strict.err().contains("line 2: invalid: "), strict.err());
        assertFalse(strict.err().contains("line 4:"), "strict stops at the first refused line: " + strict.err());
        assertEquals(exportOrder(List.of(notes.get(0))), export(tmp.resolve("s"), tmp.resolve("s.jsonl")));
    }

    @Test
    void exportFilterSelectsEventsAndARepeatedImportStoresNothingTwice() throws Exception {
        List<Event> notes = SignedEvents.notes(60, 1_000);
        Path file = SignedEvents.write(tmp.resolve("f.jsonl"), SignedEvents.json(notes));
        assertEquals(0, importFile(tmp.resolve("f"), file).exit());
        Result again = importFile(tmp.resolve("f"), file);
        assertTrue(again.out().contains("import: 60 read, 0 stored, 60 already known"), again.out());

        String author = notes.get(0).pubkey();
        long since = SignedEvents.BASE_TIME + 1_000 + 30;
        String filtered = export(tmp.resolve("f"), tmp.resolve("f-out.jsonl"),
                "--filter", "{\"authors\":[\"" + author + "\"],\"since\":" + since + "}");
        List<Event> expected = notes.stream()
                .filter(event -> event.pubkey().equals(author) && event.createdAt() >= since).toList();
        assertEquals(10, expected.size());
        assertEquals(exportOrder(expected), filtered);

        Result limited = run("export", "--data", tmp.resolve("f").toString(), "--filter", "{\"limit\":5}");
        assertEquals(2, limited.exit());
        assertTrue(limited.err().contains("no limit"), limited.err());
        Result missing = run("export", "--data", tmp.resolve("nothing-here").toString());
        assertEquals(1, missing.exit());
    }

    private static String flipLastSigDigit(String json) {
        int sig = json.indexOf("\"sig\":\"") + 7;
        int last = sig + 127;
        char c = json.charAt(last);
        return json.substring(0, last) + (c == '0' ? '1' : '0') + json.substring(last + 1);
    }
}
