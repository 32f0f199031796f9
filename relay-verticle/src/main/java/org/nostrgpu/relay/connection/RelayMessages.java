package org.nostrgpu.relay.connection;

import org.nostrgpu.common.event.CanonicalJson;

/**
 * The relay-to-client frames of NIP-01 and NIP-45, built as text. Events are inserted as the stored canonical
 * JSON object, unchanged, so an event is never decoded and re-encoded on its way out.
 */
public final class RelayMessages {
    private RelayMessages() {
    }

    /** {@code ["EVENT",subscriptionId,event]} with {@code eventJson} written raw. */
    public static String event(String subscriptionId, String eventJson) {
        StringBuilder out = new StringBuilder(eventJson.length() + subscriptionId.length() + 16);
        out.append("[\"EVENT\",");
        CanonicalJson.appendString(out, subscriptionId);
        return out.append(',').append(eventJson).append(']').toString();
    }

    /** {@code ["OK",eventId,accepted,message]}: always four elements, the message possibly empty. */
    public static String ok(String eventId, boolean accepted, String message) {
        StringBuilder out = new StringBuilder(96 + message.length());
        out.append("[\"OK\",");
        CanonicalJson.appendString(out, eventId);
        out.append(',').append(accepted).append(',');
        CanonicalJson.appendString(out, message);
        return out.append(']').toString();
    }

    public static String eose(String subscriptionId) {
        return frame("EOSE", subscriptionId);
    }

    public static String closed(String subscriptionId, String message) {
        StringBuilder out = new StringBuilder(32 + subscriptionId.length() + message.length());
        out.append("[\"CLOSED\",");
        CanonicalJson.appendString(out, subscriptionId);
        out.append(',');
        CanonicalJson.appendString(out, message);
        return out.append(']').toString();
    }

    /** NIP-42: {@code ["AUTH",challenge]}. */
    public static String auth(String challenge) {
        return frame("AUTH", challenge);
    }

    public static String notice(String message) {
        return frame("NOTICE", message);
    }

    /** NIP-45: {@code ["COUNT",subscriptionId,{"count":n}]}. */
    public static String count(String subscriptionId, long count) {
        StringBuilder out = new StringBuilder(48 + subscriptionId.length());
        out.append("[\"COUNT\",");
        CanonicalJson.appendString(out, subscriptionId);
        return out.append(",{\"count\":").append(count).append("}]").toString();
    }

    private static String frame(String type, String argument) {
        StringBuilder out = new StringBuilder(16 + argument.length());
        out.append("[\"").append(type).append("\",");
        CanonicalJson.appendString(out, argument);
        return out.append(']').toString();
    }
}
