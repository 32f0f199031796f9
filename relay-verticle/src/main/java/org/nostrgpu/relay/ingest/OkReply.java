package org.nostrgpu.relay.ingest;

/** The verdict on one published event, as the client reads it in {@code ["OK",id,accepted,message]}. */
public record OkReply(boolean accepted, String message) {

    public static OkReply success() {
        return new OkReply(true, "");
    }

    public static OkReply duplicate() {
        return new OkReply(true, "duplicate: already have this event");
    }

    public static OkReply refused(String message) {
        return new OkReply(false, message);
    }
}
