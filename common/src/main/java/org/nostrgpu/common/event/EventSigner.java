package org.nostrgpu.common.event;

import fr.acinq.secp256k1.Secp256k1;

import java.security.SecureRandom;
import java.util.List;

/**
 * Creates signed events with libsecp256k1: for tests, the benchmark corpus and tools. The relay itself never signs.
 */
public final class EventSigner {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] secretKey;
    private final String pubkeyHex;

    public EventSigner(byte[] secretKey) {
        if (secretKey.length != 32 || !Secp256k1.get().secKeyVerify(secretKey)) {
            throw new IllegalArgumentException("not a valid secp256k1 secret key");
        }
        this.secretKey = secretKey.clone();
        byte[] compressed = Secp256k1.get().pubKeyCompress(Secp256k1.get().pubkeyCreate(this.secretKey));
        byte[] xOnly = new byte[32];
        System.arraycopy(compressed, 1, xOnly, 0, 32);
        this.pubkeyHex = Hex.encode(xOnly);
    }

    public static EventSigner random() {
        byte[] key = new byte[32];
        do {
            RANDOM.nextBytes(key);
        } while (!Secp256k1.get().secKeyVerify(key));
        return new EventSigner(key);
    }

    public String pubkey() {
        return pubkeyHex;
    }

    public Event sign(long createdAt, int kind, List<List<String>> tags, String content) {
        Event unsigned = new Event("", pubkeyHex, createdAt, kind, tags, content, "");
        byte[] id = EventIds.compute(unsigned);
        byte[] aux = new byte[32];
        RANDOM.nextBytes(aux);
        byte[] sig = Secp256k1.get().signSchnorr(id, secretKey, aux);
        return new Event(Hex.encode(id), pubkeyHex, createdAt, kind, tags, content, Hex.encode(sig));
    }
}
