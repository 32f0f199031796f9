package org.nostrgpu.app;

import java.util.Optional;

/** Start-up failures reported in one line. */
final class Failures {
    private Failures() {
    }

    /** The innermost cause's message, e.g. "Address already in use". */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** The outermost exception of this type in the cause chain of {@code e} (which counts as its own first cause). */
    static <T extends Throwable> Optional<T> find(Throwable e, Class<T> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return Optional.of(type.cast(cause));
            }
        }
        return Optional.empty();
    }
}
