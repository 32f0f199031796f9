package org.nostrgpu.relay.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the relay sends on one WebSocket, as complete text frames it encodes itself ({@link FrameBatch}),
 * written from any thread in one order and flushed in groups.
 *
 * <h2>Why not {@code ServerWebSocket.writeTextMessage}</h2>
 * Vert.x's write path costs a promise, a frame object, a queue entry and a pipeline pass per message, and flushes each
 * message written on the event loop outside a read with its own system call: for a REQ of a hundred events or a live
 * event going to thousands of subscriptions, that per-frame cost was most of the relay's CPU (about 3 us per frame
 * after the frames' bytes were already built). Here a writer hands over a batch of frames, already encoded with their
 * WebSocket headers, as one buffer; batches queue in the order they are handed over, and one task on the connection's
 * event loop writes everything queued and flushes once.
 *
 * <p>The buffers go down the channel's pipeline from Vert.x's own WebSocket handler; the frame encoders before it
 * pass a buffer that is not a frame object through unchanged, so the bytes reach the socket as written. Control
 * frames Vert.x writes itself (pong, close) go between whole batches. Frames are never compressed: per-message
 * deflate, if a client negotiated it, allows uncompressed messages (RFC 7692, section 6), and compressing every
 * EVENT frame would cost more CPU than everything else the relay does for it. This relies on Vert.x's internal
 * {@link WebSocketInternal#channelHandlerContext()}; the relay's WebSocket tests fail if that stops holding.
 */
final class ConnectionOutput {
    private final ChannelHandlerContext channel;
    private final Queue<ByteBuf> queued = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    ConnectionOutput(ServerWebSocket socket) {
        this.channel = ((WebSocketInternal) socket).channelHandlerContext();
    }

    /** Queues the batch's frames after everything queued before; from any thread. Empty batches are ignored. */
    void write(FrameBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        ByteBuf bytes = Unpooled.wrappedBuffer(batch.bytes(), 0, batch.size());
        queuedBytes.addAndGet(batch.size());
        queued.add(bytes);
        if (drainScheduled.compareAndSet(false, true)) {
            channel.executor().execute(drain);
        }
    }

    /** One text frame; from any thread. */
    void write(String message) {
        write(new FrameBatch(message.length() + 16).text(message));
    }

    /**
     * Bytes handed to this output and not yet written to the socket: queued here or in the channel's own outbound
     * buffer (a client that stops reading makes it grow).
     */
    long unwrittenBytes() {
        ChannelOutboundBuffer outbound = channel.channel().unsafe().outboundBuffer();
        return queuedBytes.get() + (outbound == null ? 0 : outbound.totalPendingWriteBytes());
    }

    /** On the event loop: writes what is queued, then flushes once. */
    private void drain() {
        drainScheduled.set(false);
        boolean open = channel.channel().isActive();
        boolean wrote = false;
        for (ByteBuf bytes = queued.poll(); bytes != null; bytes = queued.poll()) {
            queuedBytes.addAndGet(-bytes.readableBytes());
            if (open) { // a closed connection's output is dropped (the buffers are plain heap memory)
                channel.write(bytes, channel.voidPromise());
                wrote = true;
            }
        }
        if (wrote) {
            channel.flush();
        }
    }
}
