package org.nostrgpu.app;

import org.nostrgpu.common.config.ConfigException;
import org.nostrgpu.common.config.StartupException;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;

/** What the relay and worker subcommands do once parsed: start, map start failures to exit codes, run until stopped. */
final class ServiceRunner {
    /** Resolves the configuration and starts the service, logging what it runs with. */
    @FunctionalInterface
    interface Starter {
        RunningService start() throws Exception;
    }

    private ServiceRunner() {
    }

    /**
     * @param name names the service in the failure log line and the shutdown-hook thread ("relay", "worker")
     * @param env  the process environment, for {@link HealthUrlFile#ENV}
     * @return 0 after a stop by the shutdown hook; 2 for a configuration error (printed to the command's error
     *         stream); 1 for any other start failure (logged in one line when it is a {@link StartupException},
     *         with its stack trace otherwise)
     */
    static int runUntilStopped(String name, CommandSpec spec, Logger log, Starter starter, Map<String, String> env)
            throws InterruptedException {
        RunningService service;
        HealthUrlFile healthUrlFile = HealthUrlFile.from(env);
        try {
            service = starter.start();
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            Optional<StartupException> known = Failures.find(e, StartupException.class);
            if (known.isPresent()) {
                // the operator's to fix, and the message says what: no stack trace in the way (at DEBUG level)
                log.log(Level.ERROR, name + " could not start: " + known.get().getMessage());
                log.log(Level.DEBUG, name + " start failure", e);
            } else {
                log.log(Level.ERROR, name + " could not start: " + Failures.rootMessage(e), e);
            }
            return 1;
        }
        if (healthUrlFile != null) {
            try {
                healthUrlFile.write(service.healthUrl());
            } catch (IOException e) {
                log.log(Level.ERROR, name + " could not write its health URL to " + healthUrlFile.path()
                        + " (" + HealthUrlFile.ENV + "): " + e.getMessage(), e);
                service.stop();
                return 1;
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (healthUrlFile != null) {
                healthUrlFile.delete();
            }
            service.stop();
        }, name + "-shutdown"));
        service.awaitStop();
        return 0;
    }
}
