package org.nostrgpu.relay.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

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
 *
 * <h2>Slow readers</h2>
 * Every batch is counted against the connection's {@link OutboundLimit} from the moment it is handed over until the
 * socket has written it (the write's completion, which Netty signals once the bytes left its outbound buffer for the
 * kernel): a batch that would take the unwritten output past the limit is refused, and the caller disconnects the
 * client. One promise per drain covers every batch it writes, since Netty completes writes in order.
 */
final class ConnectionOutput {
    private final ChannelHandlerContext channel;
    private final OutboundLimit limit;
    private final Queue<ByteBuf> queued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    ConnectionOutput(ServerWebSocket socket, OutboundLimit limit) {
        this.channel = ((WebSocketInternal) socket).channelHandlerContext();
        this.limit = limit;
    }

    /** An empty batch of frames for this connection, with room for about {@code expectedBytes}; from any thread. */
    FrameBatch batch(int expectedBytes) {
        return new FrameBatch(channel.alloc().directBuffer(Math.max(16, expectedBytes)));
    }

    /**
     * Queues the batch's frames after everything queued before; from any thread. Empty batches are ignored.
     *
     * The batch is this object's from here: written or released.
     *
     * @return false, queueing nothing, when the batch would take the unwritten output past the {@link OutboundLimit}
     */
    boolean write(FrameBatch batch) {
        if (batch.isEmpty()) {
            batch.release();
            return true;
        }
        if (!limit.reserve(batch.size())) {
            batch.release();
            return false;
        }
        queued.add(batch.buffer());
        if (drainScheduled.compareAndSet(false, true)) {
            channel.executor().execute(drain);
        }
        return true;
    }

    /** On the event loop: writes what is queued, then flushes once; the bytes count until the last write completes. */
    private void drain() {
        drainScheduled.set(false);
        boolean open = channel.channel().isActive();
        ByteBuf last = null;
        long bytes = 0;
        for (ByteBuf next = queued.poll(); next != null; next = queued.poll()) {
            bytes += next.readableBytes();
            if (!open) { // a closed connection's output is dropped
                next.release();
            } else {
                if (last != null) {
                    channel.write(last, channel.voidPromise());
                }
                last = next;
            }
        }
        long drained = bytes;
        if (last == null) {
            limit.written(drained);
            return;
        }
        channel.write(last).addListener(done -> limit.written(drained));
        channel.flush();
    }
}
