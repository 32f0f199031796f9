package org.nostrgpu.common.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;

import java.io.IOException;

/** Jackson streaming settings and helpers shared by the strict event and filter parsers. */
public final class StrictJson {
    /**
     * Thread-safe parser factory. Field names are not interned: names chosen by clients must not grow
     * the JVM's string table.
     */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
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

    /** After a {@code nextFieldName()} loop: the object must have been closed. */
    public static void requireObjectEnd(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new JsonEOFException(p, p.currentToken(), "object not closed");
        }
    }
}
