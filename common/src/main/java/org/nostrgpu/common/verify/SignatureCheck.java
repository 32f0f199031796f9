package org.nostrgpu.common.verify;

/**
 * One BIP-340 check: the 32-byte message (a Nostr event id), the 32-byte x-only public key and the
 * 64-byte signature. Arrays are not copied; callers must not change them afterwards.
 */
public record SignatureCheck(byte[] message, byte[] pubkey, byte[] signature) {
    public SignatureCheck {
        if (message.length != 32 || pubkey.length != 32 || signature.length != 64) {
            throw new IllegalArgumentException("BIP-340 check needs 32-byte message, 32-byte key, 64-byte signature");
        }
    }
}
