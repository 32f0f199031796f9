package org.nostrgpu.relay.connection;

import org.nostrgpu.common.event.CanonicalJson;

/**
 * The relay-to-client frames of NIP-01, NIP-45 and NIP-77, built as text. Events are inserted as the stored canonical
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
        return frame("CLOSED", subscriptionId, message);
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

    /** NIP-77: {@code ["NEG-MSG",subscriptionId,hexMessage]}. */
    public static String negMsg(String subscriptionId, String hexMessage) {
        return frame("NEG-MSG", subscriptionId, hexMessage);
    }

    /** NIP-77: {@code ["NEG-ERR",subscriptionId,reason]}; the session is over. */
    public static String negErr(String subscriptionId, String reason) {
        return frame("NEG-ERR", subscriptionId, reason);
    }

    private static String frame(String type, String subscriptionId, String text) {
        StringBuilder out = new StringBuilder(24 + subscriptionId.length() + text.length());
        out.append("[\"").append(type).append("\",");
        CanonicalJson.appendString(out, subscriptionId);
        out.append(',');
        CanonicalJson.appendString(out, text);
        return out.append(']').toString();
    }

    private static String frame(String type, String argument) {
        StringBuilder out = new StringBuilder(16 + argument.length());
        out.append("[\"").append(type).append("\",");
        CanonicalJson.appendString(out, argument);
        return out.append(']').toString();
    }
}
