package org.nostrgpu.common.config;

/**
 * A relay or worker cannot start for a reason its operator can fix outside the configuration values: a port another
 * process holds, a data directory that cannot be created or written, a database file that cannot be opened. The
 * message names the thing and the cause in one line ("client port 127.0.0.1:6969: address already in use"), so it
 * is reported without a stack trace.
 */
public final class StartupException extends RuntimeException {
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }

    public StartupException(String message) {
        super(message);
    }

    /** The message of a system error as a clause: "Address already in use" becomes "address already in use". */
    public static String clause(Throwable error) {
        String message = error.getMessage();
        if (message == null || message.isBlank()) {
            return error.getClass().getSimpleName();
        }
        return message.length() > 1 && Character.isUpperCase(message.charAt(0)) && Character.isLowerCase(message.charAt(1))
                ? Character.toLowerCase(message.charAt(0)) + message.substring(1)
                : message;
    }
}
