package org.nostrgpu.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.List;
import java.util.stream.Collectors;

import java.util.OptionalInt;

/** The one jar's entry point: {@code java -jar nostr-gpu-relay.jar <subcommand> [options]}. */
@Command(name = "nostr-gpu-relay",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A Nostr relay whose BIP-340 signature checks are batched (and, with a worker, run on a GPU).",
        subcommands = {RelayCommand.class, WorkerCommand.class, InspectCommand.class, ImportCommand.class,
                ExportCommand.class, SyncCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        OneLineLogFormat.install();
        OptionalInt childStatus = HeapDefault.runInChildIfNeeded(args);
        if (childStatus.isPresent()) {
            System.exit(childStatus.getAsInt());
        }
        HeapDefault.followParentIfChild();
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line of the jar, with its subcommands. An argument that names nothing is refused (exit 2) even
     * when {@code --help} comes with it: picocli alone would print the help and succeed, so {@code inspect --help}
     * looked like a subcommand that exists.
     */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        IParameterExceptionHandler standard = commandLine.getParameterExceptionHandler();
        commandLine.setParameterExceptionHandler((refused, args) ->
                standard.handleParseException(refused instanceof UnmatchedArgumentException unmatched
                        ? unknown(unmatched.getCommandLine(), unmatched.getUnmatched()) : refused, args));
        commandLine.setExecutionStrategy(Main::execute);
        // the suite reads its own --options: picocli hands them over as they are
        commandLine.getSubcommands().get("bench").setUnmatchedOptionsArePositionalParams(true);
        // the field list is built from InspectFields, which an annotation cannot hold
        commandLine.getSubcommands().get("inspect").getCommandSpec().usageMessage()
                .footer(InspectFields.help(), "%n${COMMAND-NAME} exits 0 after --once when at least one member "
                        + "answered, 1 when none did, 2 for bad options.%n");
        return commandLine;
    }

    /** Without a subcommand: say which ones exist. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand (try 'relay', 'worker' or 'inspect')");
    }

    private static int execute(ParseResult parsed) {
        for (ParseResult command = parsed; command != null; command = command.subcommand()) {
            if (!command.unmatched().isEmpty()) {
                throw unknown(command.commandSpec().commandLine(), command.unmatched());
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /** A word where a subcommand belongs gets the list of subcommands; anything else picocli's own message. */
    private static ParameterException unknown(CommandLine command, List<String> unmatched) {
        String first = unmatched.isEmpty() ? "" : unmatched.get(0);
        if (command.getSubcommands().isEmpty() || first.isEmpty() || first.startsWith("-")) {
            return new UnmatchedArgumentException(command, unmatched);
        }
        return new ParameterException(command, "unknown subcommand '" + first + "' (the subcommands are "
                + command.getSubcommands().keySet().stream().map(name -> "'" + name + "'")
                .collect(Collectors.joining(", ")) + ")");
    }
}
