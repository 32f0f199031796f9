package org.nostrgpu.common.event;

import fr.acinq.secp256k1.Secp256k1;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventSignerTest {
    private static boolean signatureVerifies(Event event) {
        return Secp256k1.get().verifySchnorr(Hex.decode(event.sig()), Hex.decode(event.id()), Hex.decode(event.pubkey()));
    }

    @Test
    void signedEventsHaveTheirIdAndAVerifyingSignature() throws Exception {
        EventSigner signer = EventSigner.random();
        Event event = signer.sign(1_700_000_000L, 1, List.of(List.of("t", "ünïcödé"), List.of("-")), "hi\u0000\"/😀");
        assertEquals(signer.pubkey(), event.pubkey());
        assertTrue(Hex.isLowerHex(event.pubkey(), 64));
        assertTrue(Hex.isLowerHex(event.sig(), 128));
        assertTrue(EventIds.hasValidId(event));
        assertTrue(signatureVerifies(event));
        assertEquals(event, EventParser.parse(event.toJson()));
    }

    @Test
    void alteringASignedEventBreaksItsIdOrSignature() {
        EventSigner signer = EventSigner.random();
        Event event = signer.sign(1, 1, List.of(), "original");
        Event altered = new Event(event.id(), event.pubkey(), event.createdAt(), event.kind(), event.tags(),
                "altered", event.sig());
        assertFalse(EventIds.hasValidId(altered));
        Event otherSigner = EventSigner.random().sign(1, 1, List.of(), "original");
        assertNotEquals(event.id(), otherSigner.id());
        Event mixed = new Event(event.id(), otherSigner.pubkey(), 1, 1, List.of(), "original", event.sig());
        assertFalse(signatureVerifies(mixed));
    }

    @Test
    void aFixedKeyGivesAFixedPubkey() {
        byte[] key = Hex.decode("0000000000000000000000000000000000000000000000000000000000000003");
        // BIP-340 test vector 0: secret key 3.
        assertEquals("f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9", new EventSigner(key).pubkey());
        assertThrows(IllegalArgumentException.class, () -> new EventSigner(new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> new EventSigner(new byte[31]));
    }
}
