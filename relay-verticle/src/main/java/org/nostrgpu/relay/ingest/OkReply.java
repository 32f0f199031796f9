package org.nostrgpu.relay.ingest;

import org.nostrgpu.common.answer.Answer;
import org.nostrgpu.common.answer.AnswerPrefix;
import org.nostrgpu.relay.store.StoreOutcome;

/** The verdict on one published event, as the client reads it in {@code ["OK",id,accepted,message]}. */
public record OkReply(boolean accepted, String message) {
    private static final OkReply SUCCESS = new OkReply(true, "");

    /** Accepted as new: {@code true ""}. */
    public static OkReply success() {
        return SUCCESS;
    }

    /** One of the standard answers; accepted only when its prefix is {@code duplicate}. */
    public static OkReply of(Answer answer) {
        return new OkReply(answer.prefix().okAccepted(), answer.text());
    }

    /** A message that names what was wrong, e.g. {@code of(AnswerPrefix.INVALID, "too many tags (...)")}. */
    public static OkReply of(AnswerPrefix prefix, String detail) {
        return new OkReply(prefix.okAccepted(), prefix.with(detail));
    }

    /** The answer to what the store did with the event. */
    public static OkReply of(StoreOutcome outcome) {
        return switch (outcome) {
            case STORED -> SUCCESS;
            case DUPLICATE -> of(Answer.ALREADY_STORED);
            case DELETED -> of(Answer.DELETED_BY_AUTHOR);
            case SUPERSEDED -> of(Answer.SUPERSEDED);
        };
    }
}
