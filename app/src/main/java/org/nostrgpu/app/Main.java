package org.nostrgpu.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.OptionalInt;

/** The one jar's entry point: {@code java -jar nostr-gpu-relay.jar <subcommand> [options]}. */
@Command(name = "nostr-gpu-relay",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A Nostr relay whose BIP-340 signature checks are batched (and, with a worker, run on a GPU).",
        subcommands = {RelayCommand.class, WorkerCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        OptionalInt childStatus = HeapDefault.runInChildIfNeeded(args);
        if (childStatus.isPresent()) {
            System.exit(childStatus.getAsInt());
        }
        HeapDefault.followParentIfChild();
        OneLineLogFormat.install();
        System.exit(new CommandLine(new Main()).execute(args));
    }

    /** Without a subcommand: say which ones exist. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (try 'relay' or 'worker')");
    }
}
