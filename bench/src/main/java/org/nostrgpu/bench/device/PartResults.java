package org.nostrgpu.bench.device;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one part of the device check reports: a timestamped log on stdout, markdown tables captioned with the
 * machine (GPU model first), and the same as JSON in {@code OUT/PART.json} for the report. Also keeps the part's
 * clock against its soft time limit.
 */
final class PartResults {
    private final String part;
    private final Path out;
    private final Machine machine;
    private final double partSeconds;
    private final long startNanos = System.nanoTime();
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final List<Map<String, Object>> tables = new ArrayList<>();
    private long mismatches;

    PartResults(DeviceCheckOptions options, Machine machine) {
        this.part = options.part();
        this.out = options.out();
        this.machine = machine;
        this.partSeconds = options.partSeconds();
        json.put("part", part);
        json.put("machine", machine.toJson());
        json.put("options", options.toString());
        json.put("tables", tables);
    }

    Machine machine() {
        return machine;
    }

    void log(String message) {
        System.out.printf(Locale.ROOT, "[%s %6.1f s] %s%n", part, seconds(), message);
        System.out.flush();
    }

    void put(String key, Object value) {
        json.put(key, value);
    }

    /** Adds verdicts that differ from libsecp256k1's; the part then exits 1. */
    void mismatches(long count) {
        mismatches += count;
    }

    long mismatches() {
        return mismatches;
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Seconds left before the part's soft time limit (0 once passed). */
    double secondsLeft() {
        return Math.max(0, partSeconds - seconds());
    }

    /** Whether the part's soft time limit has passed: rows not started yet are skipped. */
    boolean outOfTime() {
        return seconds() > partSeconds;
    }

    Table table(String title, String... columns) {
        return new Table(title, List.of(columns));
    }

    /** Writes {@code OUT/PART.json}. */
    void write() throws IOException {
        Files.createDirectories(out);
        json.put("mismatches", mismatches);
        json.put("seconds", Math.round(seconds() * 10) / 10.0);
        Path file = out.resolve(part + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        log("wrote " + file);
    }

    /** A markdown table: printed whole by {@link #print()}, kept in the JSON. */
    final class Table {
        private final String title;
        private final List<String> columns;
        private final List<List<String>> rows = new ArrayList<>();

        private Table(String title, List<String> columns) {
            this.title = title;
            this.columns = columns;
        }

        /** Numbers become text here: doubles with the given pattern's precision via {@link #f}. */
        Table row(Object... cells) {
            List<String> row = new ArrayList<>();
            for (Object cell : cells) {
                row.add(String.valueOf(cell));
            }
            rows.add(row);
            return this;
        }

        boolean isEmpty() {
            return rows.isEmpty();
        }

        void print() {
            StringBuilder text = new StringBuilder();
            text.append('\n').append("### ").append(title).append('\n').append(machine.caption()).append("\n\n");
            text.append("| ").append(String.join(" | ", columns)).append(" |\n|");
            for (int i = 0; i < columns.size(); i++) {
                text.append(i == 0 ? "---|" : "---:|");
            }
            text.append('\n');
            for (List<String> row : rows) {
                text.append("| ").append(String.join(" | ", row)).append(" |\n");
            }
            System.out.print(text);
            System.out.println();
            System.out.flush();
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("title", title);
            table.put("caption", machine.caption());
            table.put("columns", columns);
            table.put("rows", rows);
            tables.add(table);
        }
    }

    static String f(String pattern, Object... values) {
        return String.format(Locale.ROOT, pattern, values);
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    static String ratio(double numerator, double denominator) {
        return denominator > 0 && numerator > 0 ? String.format(Locale.ROOT, "%.2f", numerator / denominator) : "–";
    }

    static String list(int[] values) {
        return Arrays.toString(values);
    }
}
