package org.nostrgpu.relay.store;

import org.nostrgpu.common.config.StartupException;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The directory holding the database, created when absent and checked before SQLite opens a file in it: SQLite
 * reports a directory it cannot use only as "unable to open the database file", without the path or the reason.
 */
final class DataDirectory {
    private DataDirectory() {
    }

    /**
     * Creates {@code directory} (with its parents) unless it exists, and checks this process may write in it.
     *
     * @throws StartupException naming the directory and what is wrong with it
     */
    static void prepare(Path directory) {
        Path existing = directory;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw failure(directory, existing.equals(directory) ? "exists and is not a directory"
                    : "cannot be created: " + existing + " is not a directory", null);
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw failure(directory, "cannot be created: " + reason(e), e);
        }
        if (!Files.isWritable(directory)) {
            throw failure(directory, onReadOnlyFileSystem(directory) ? "is on a read-only file system"
                    : "not writable by this process: permission denied", null);
        }
    }

    private static StartupException failure(Path directory, String what, Throwable cause) {
        return new StartupException("data directory " + directory + ": " + what, cause);
    }

    /** The system's reason: Java puts it in the exception's type for the common ones, and only the path in the message. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            return StartupException.clause(new IOException(fileSystem.getReason()));
        }
        return StartupException.clause(e);
    }

    private static boolean onReadOnlyFileSystem(Path directory) {
        try {
            return Files.getFileStore(directory).isReadOnly();
        } catch (IOException e) {
            return false;
        }
    }
}
