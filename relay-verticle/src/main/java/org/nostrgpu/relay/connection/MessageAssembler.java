package org.nostrgpu.relay.connection;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns a connection's WebSocket frames into whole messages, enforcing what RFC 6455 asks of a receiver that Vert.x's
 * own aggregation does not: a text message must be valid UTF-8 (Vert.x would replace bad bytes with U+FFFD and carry
 * on), and a message too big to process is refused while it arrives, without keeping more than {@code hardLimit}
 * bytes of it. Control frames (ping, pong, close) are Vert.x's; they do not pass here. Used on the connection's
 * context only.
 */
final class MessageAssembler implements Handler<WebSocketFrame> {
    /** What the connection does with each outcome. */
    interface Receiver {
        void onText(String message);

        void onBinary();

        /** The message passed the hard limit: close with 1009. */
        void onTooBig(long bytes);

        /** A text message is not valid UTF-8: close with 1007. */
        void onInvalidUtf8();
    }

    private final int hardLimit;
    private final Receiver receiver;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    /** The text message being assembled, or null. */
    private Buffer text;
    private boolean inBinary;
    /** After a refusal, the rest of that message's frames are dropped unread. */
    private boolean refused;
    private long messageBytes;

    MessageAssembler(int hardLimit, Receiver receiver) {
        this.hardLimit = hardLimit;
        this.receiver = receiver;
    }

    @Override
    public void handle(WebSocketFrame frame) {
        if (frame.isText()) {
            start(false);
            text = Buffer.buffer(Math.min(frame.binaryData().length(), hardLimit));
        } else if (frame.isBinary()) {
            start(true);
        } else if (!frame.isContinuation()) {
            return; // ping, pong, close
        }
        if (!refused) {
            append(frame.binaryData());
        }
        if (frame.isFinal()) {
            finish();
        }
    }

    private void start(boolean binary) {
        text = null;
        inBinary = binary;
        refused = false;
        messageBytes = 0;
    }

    private void append(Buffer data) {
        messageBytes += data.length();
        if (messageBytes > hardLimit) {
            refused = true;
            text = null;
            receiver.onTooBig(messageBytes);
        } else if (text != null) {
            text.appendBuffer(data);
        }
    }

    private void finish() {
        boolean wasRefused = refused;
        Buffer message = text;
        boolean binary = inBinary;
        start(false);
        if (wasRefused) {
            return;
        }
        if (binary) {
            receiver.onBinary();
            return;
        }
        if (message == null) {
            return; // a continuation frame without a message to continue; the decoder refuses those anyway
        }
        String decoded;
        try {
            decoded = utf8.reset().decode(ByteBuffer.wrap(message.getBytes())).toString();
        } catch (CharacterCodingException e) {
            receiver.onInvalidUtf8();
            return;
        }
        receiver.onText(decoded);
    }
}
