package org.nostrgpu.app;

/** A started relay or worker that the main thread waits on until its shutdown hook (or a test) stops it. */
abstract class RunningService {
    private final ShutdownSequence shutdown;

    RunningService(ShutdownSequence shutdown) {
        this.shutdown = shutdown;
    }

    /** The URL of this service's health endpoint, for {@link HealthUrlFile}; {@value HealthUrlFile#DISABLED} if off. */
    abstract String healthUrl();

    /** Runs the close sequence. Safe to call more than once. */
    final void stop() {
        shutdown.run();
    }

    /** Blocks until {@link #stop()} has finished. */
    final void awaitStop() throws InterruptedException {
        shutdown.await();
    }
}
