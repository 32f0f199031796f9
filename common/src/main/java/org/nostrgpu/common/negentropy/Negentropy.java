package org.nostrgpu.common.negentropy;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One side of a negentropy (protocol version 1, as NIP-77 uses it) reconciliation over an {@link ItemSet}.
 *
 * <p>A message is the version byte 0x61 followed by ranges, each given by its upper bound (the lower bound is the
 * previous range's upper bound) and a mode: Skip (nothing to do), Fingerprint (16 bytes summarising the range) or
 * IdList (every id in it). A side whose fingerprint differs splits its range into 16 buckets, or lists its ids when
 * the range holds fewer than 32 items; the initiator learns which ids only it has and which only the other side has.
 * With a frame size limit, a reply that would grow past it stops early and ends with one fingerprint covering the
 * rest, which the next round takes up.
 *
 * <p>Not thread-safe: one instance per session, used by one thread at a time.
 */
public final class Negentropy {
    public static final int PROTOCOL_VERSION = 0x61;
    /** The smallest frame size limit the protocol allows (0 means no limit). */
    public static final int MIN_FRAME_SIZE_LIMIT = 4096;
    private static final int MODE_SKIP = 0;
    private static final int MODE_FINGERPRINT = 1;
    private static final int MODE_ID_LIST = 2;
    private static final int BUCKETS = 16;
    /** Room kept below the frame size limit for the closing fingerprint. */
    private static final int FRAME_SLACK = 200;

    private final ItemSet items;
    private final int frameSizeLimit;
    private boolean initiator;
    private boolean initiated;

    /** @param frameSizeLimit most bytes in a message this side writes, 0 for no limit, else at least 4096 */
    public Negentropy(ItemSet items, int frameSizeLimit) {
        if (frameSizeLimit != 0 && frameSizeLimit < MIN_FRAME_SIZE_LIMIT) {
            throw new IllegalArgumentException("frame size limit must be 0 or at least " + MIN_FRAME_SIZE_LIMIT);
        }
        this.items = items;
        this.frameSizeLimit = frameSizeLimit;
    }

    /** The initiator's first message; makes this side the initiator. */
    public byte[] initiate() {
        if (initiated) {
            throw new IllegalStateException("already initiated");
        }
        initiated = true;
        initiator = true;
        MessageWriter out = new MessageWriter();
        out.writeByte(PROTOCOL_VERSION);
        splitRange(out, 0, items.size(), Bound.INFINITY);
        return out.toByteArray();
    }

    /** The responder's answer to one message of the initiator. */
    public byte[] respond(byte[] query) throws NegentropyException {
        if (initiator) {
            throw new IllegalStateException("the initiator does not respond");
        }
        return reconcile(query, null, null);
    }

    /**
     * The initiator's next step: adds to {@code have} the ids only this side holds and to {@code need} those only
     * the other side holds (32 bytes each), and returns the next message, or null when reconciliation is complete.
     */
    public byte[] next(byte[] answer, List<byte[]> have, List<byte[]> need) throws NegentropyException {
        if (!initiator) {
            throw new IllegalStateException("initiate() first");
        }
        byte[] out = reconcile(answer, have, need);
        return out.length == 1 ? null : out;
    }

    private byte[] reconcile(byte[] message, List<byte[]> have, List<byte[]> need) throws NegentropyException {
        MessageReader in = new MessageReader(message);
        MessageWriter full = new MessageWriter();
        full.writeByte(PROTOCOL_VERSION);
        int version = in.readByte();
        if (version < 0x60 || version > 0x6f) {
            throw new NegentropyException("invalid negentropy protocol version byte");
        }
        if (version != PROTOCOL_VERSION) {
            if (initiator) {
                throw new NegentropyException("unsupported negentropy protocol version requested: " + (version - 0x60));
            }
            return full.toByteArray(); // the version we speak, nothing else: the initiator may downgrade
        }
        int size = items.size();
        Bound previousBound = new Bound(0, new byte[0]);
        int previousIndex = 0;
        boolean skip = false;
        while (in.hasMore()) {
            MessageWriter part = full.continuation();
            Bound bound = in.readBound();
            long mode = in.readVarint();
            int lower = previousIndex;
            int upper = items.lowerBound(previousIndex, size, bound);
            if (mode == MODE_SKIP) {
                skip = true;
            } else if (mode == MODE_FINGERPRINT) {
                byte[] theirs = in.readBytes(Fingerprint.SIZE);
                if (!java.util.Arrays.equals(theirs, items.fingerprint(lower, upper))) {
                    skip = writeSkip(part, skip, previousBound);
                    splitRange(part, lower, upper, bound);
                } else {
                    skip = true;
                }
            } else if (mode == MODE_ID_LIST) {
                long count = in.readVarint();
                if (count > (message.length / ItemSet.ID_SIZE)) {
                    throw new NegentropyException("id list longer than the message");
                }
                Set<ByteBuffer> theirIds = new HashSet<>((int) count * 2);
                for (long i = 0; i < count; i++) {
                    theirIds.add(ByteBuffer.wrap(in.readBytes(ItemSet.ID_SIZE)));
                }
                for (int i = lower; i < upper; i++) {
                    ByteBuffer ours = ByteBuffer.wrap(items.id(i));
                    if (!theirIds.remove(ours) && initiator) {
                        have.add(ours.array());
                    }
                }
                if (initiator) {
                    skip = true;
                    theirIds.forEach(id -> need.add(id.array()));
                } else {
                    skip = writeSkip(part, skip, previousBound);
                    Bound end = bound;
                    int listed = lower;
                    while (listed < upper) {
                        if (frameSizeLimit != 0 && full.size() + part.size() + (listed - lower + 1) * ItemSet.ID_SIZE
                                > frameSizeLimit - FRAME_SLACK) {
                            end = items.boundAt(listed);
                            upper = listed; // the rest of the range goes into the closing fingerprint
                            break;
                        }
                        listed++;
                    }
                    part.writeBound(end);
                    part.writeVarint(MODE_ID_LIST);
                    part.writeVarint(listed - lower);
                    items.writeIds(part, lower, listed);
                    full.append(part);
                    part = full.continuation();
                }
            } else {
                throw new NegentropyException("unexpected mode " + mode);
            }
            if (frameSizeLimit != 0 && full.size() + part.size() > frameSizeLimit - FRAME_SLACK) {
                byte[] rest = items.fingerprint(upper, size);
                full.writeBound(Bound.INFINITY);
                full.writeVarint(MODE_FINGERPRINT);
                full.writeBytes(rest, 0, rest.length);
                break;
            }
            full.append(part);
            previousIndex = upper;
            previousBound = bound;
        }
        return full.toByteArray();
    }

    /** Writes the Skip range pending since {@code previousBound}, if one is; returns false (no skip pending now). */
    private static boolean writeSkip(MessageWriter out, boolean pending, Bound previousBound) {
        if (pending) {
            out.writeBound(previousBound);
            out.writeVarint(MODE_SKIP);
        }
        return false;
    }

    /** A range [lower, upper) with our view of it: its ids when small, else 16 bucket fingerprints. */
    private void splitRange(MessageWriter out, int lower, int upper, Bound upperBound) {
        int count = upper - lower;
        if (count < BUCKETS * 2) {
            out.writeBound(upperBound);
            out.writeVarint(MODE_ID_LIST);
            out.writeVarint(count);
            items.writeIds(out, lower, upper);
            return;
        }
        int perBucket = count / BUCKETS;
        int withExtra = count % BUCKETS;
        int current = lower;
        for (int i = 0; i < BUCKETS; i++) {
            int bucketSize = perBucket + (i < withExtra ? 1 : 0);
            byte[] fingerprint = items.fingerprint(current, current + bucketSize);
            current += bucketSize;
            out.writeBound(current == upper ? upperBound : items.minimalBoundBefore(current));
            out.writeVarint(MODE_FINGERPRINT);
            out.writeBytes(fingerprint, 0, fingerprint.length);
        }
    }
}
