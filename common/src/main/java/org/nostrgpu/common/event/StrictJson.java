package org.nostrgpu.common.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;

import java.io.IOException;

/** Jackson streaming settings and helpers shared by the strict event and filter parsers. */
public final class StrictJson {
    /**
     * Deepest nesting of arrays and objects a client message may have. The deepest a Nostr message needs is four
     * ({@code ["EVENT",{"tags":[["e","..."]]}]}); anything much deeper is refused while it is read, before the
     * parser has gone down into it.
     */
    public static final int MAX_NESTING_DEPTH = 8;

    /**
     * Thread-safe parser factory. Field names are not interned: names chosen by clients must not grow
     * the JVM's string table.
     */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build();

    private StrictJson() {
    }

    /** {@link JsonParser#nextToken()}, but end of input inside a value is an error instead of null. */
    public static JsonToken next(JsonParser p) throws IOException {
        JsonToken token = p.nextToken();
        if (token == null) {
            throw new JsonEOFException(p, null, "unexpected end of input");
        }
        return token;
    }

    /** Whether a parse failure is the nesting bound ({@link #MAX_NESTING_DEPTH}) rather than broken JSON. */
    public static boolean isTooDeep(Exception failure) {
        return failure instanceof StreamConstraintsException && failure.getMessage() != null
                && failure.getMessage().contains("nesting depth");
    }

    /** After a {@code nextFieldName()} loop: the object must have been closed. */
    public static void requireObjectEnd(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new JsonEOFException(p, p.currentToken(), "object not closed");
        }
    }
}
