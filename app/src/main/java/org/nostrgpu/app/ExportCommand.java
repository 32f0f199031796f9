package org.nostrgpu.app;

import org.nostrgpu.common.filter.Filter;
import org.nostrgpu.common.filter.FilterParser;
import org.nostrgpu.common.filter.InvalidFilterException;
import org.nostrgpu.relay.bulk.EventExporter;
import org.nostrgpu.relay.store.StoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.Writer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code export}: the stored events as JSON lines, oldest first. */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Write the stored events as JSON lines (the stored canonical JSON, one event per line) in a "
                + "stable order: created_at ascending, then id. Streams from the database in constant memory, while "
                + "the relay runs or not. Expired events (NIP-40) are left out.")
final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--filter", paramLabel = "JSON",
            description = "Only events matching this NIP-01 filter, e.g. '{\"kinds\":[0,3],\"since\":1700000000}' "
                    + "(no limit).")
    String filter;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write here instead of standard output; compressed when the name ends in .gz or .zst.")
    Path output;

    /** The process environment; tests replace it. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() throws Exception {
        Filter selected;
        try {
            selected = filter == null ? Filter.all() : FilterParser.parse(filter);
        } catch (InvalidFilterException e) {
            spec.commandLine().getErr().println("error: --filter: " + e.getMessage());
            return 2;
        }
        if (selected.limit() != null) {
            spec.commandLine().getErr().println("error: --filter: export takes no limit (use since/until)");
            return 2;
        }
        Path file = StoreOptions.from(database.resolve(environment)).file();
        long written;
        try (Writer out = JsonlStreams.create(output)) {
            written = EventExporter.export(file, selected, System.currentTimeMillis() / 1000, out);
        }
        spec.commandLine().getErr().println("export: " + written + " events");
        return 0;
    }
}
