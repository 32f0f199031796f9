package org.nostrgpu.common.bus;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** The checks every stats message shares: a JSON object in a String, of this protocol and version. */
final class StatsJson {
    private StatsJson() {
    }

    static JsonObject object(Object body, String what, int maxChars) {
        if (!(body instanceof String text)) {
            throw new MalformedStatsMessageException(what + " must be JSON text, got "
                    + (body == null ? "null" : body.getClass().getName()));
        }
        if (text.length() > maxChars) {
            throw new MalformedStatsMessageException(what + " of " + text.length() + " characters is longer than "
                    + maxChars);
        }
        try {
            return new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new MalformedStatsMessageException(what + " is not a JSON object: " + firstLine(e.getMessage()));
        }
    }

    static void checkHeader(JsonObject json, String what) {
        Object protocol = json.getValue("protocol");
        if (!StatsProtocol.PROTOCOL_NAME.equals(protocol)) {
            throw new MalformedStatsMessageException(what + " \"protocol\" must be \"" + StatsProtocol.PROTOCOL_NAME
                    + "\", got " + describe(protocol));
        }
        Object version = json.getValue("version");
        if (!(version instanceof Integer number) || number != StatsProtocol.FORMAT_VERSION) {
            throw new MalformedStatsMessageException(what + " format version " + describe(version)
                    + " is not supported; this side speaks version " + StatsProtocol.FORMAT_VERSION);
        }
    }

    /** A value as it appears in an error message, cut short. */
    static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        String text = value instanceof String ? "\"" + value + "\"" : value.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
