package org.nostrgpu.app;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The child JVMs of one test class, started from the packaged jar with their logs in the IT log directory, and all
 * killed after the class, also when it fails: {@code @RegisterExtension static final ChildProcesses CHILDREN = ...}.
 */
final class ChildProcesses implements AfterAllCallback {
    private final List<ChildJvm> children = new CopyOnWriteArrayList<>();

    /** Starts {@code java -jar <packaged jar> args...}, its output in {@code <log dir>/<name>.log}. */
    ChildJvm start(String name, List<String> args) throws IOException {
        ChildJvm child = ChildJvm.start(name, ChildJvm.packagedJar(), ChildJvm.logDir(), args);
        children.add(child);
        return child;
    }

    List<ChildJvm> all() {
        return List.copyOf(children);
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        for (ChildJvm child : children) {
            child.close();
        }
    }
}
