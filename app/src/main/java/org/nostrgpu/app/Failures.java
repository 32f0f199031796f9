package org.nostrgpu.app;

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
}
