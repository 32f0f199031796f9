package org.nostrgpu.relay.ingest;

import org.junit.jupiter.api.Test;
import org.nostrgpu.common.config.WritePolicy;
import org.nostrgpu.common.event.Event;
import org.nostrgpu.common.event.EventSigner;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class WritePolicyCheckTest {
    private final EventSigner author = EventSigner.random();

    @Test
    void difficultyCountsLeadingZeroBitsOfTheId() {
        assertEquals(0, WritePolicyCheck.leadingZeroBits("f" + "0".repeat(63)));
        assertEquals(3, WritePolicyCheck.leadingZeroBits("1" + "0".repeat(63)));
        assertEquals(8, WritePolicyCheck.leadingZeroBits("00ff" + "0".repeat(60)));
        // NIP-13's example: 000000000e9d97a1ab09fc381030b346cdd7a142ad57e6df0b46dc9bef6c7e2d has difficulty 36
        assertEquals(36, WritePolicyCheck.leadingZeroBits("000000000e9d97a1ab09fc381030b346cdd7a142ad57e6df0b46dc9bef6c7e2d"));
        assertEquals(256, WritePolicyCheck.leadingZeroBits("0".repeat(64)));
    }

    @Test
    void proofOfWorkNeedsTheBitsAndNoLowerCommitment() {
        WritePolicyCheck check = new WritePolicyCheck(WritePolicy.open().withMinPowDifficulty(8));
        Event plain = mine(List.of(), 0, 4);
        assertEquals("pow: difficulty " + WritePolicyCheck.leadingZeroBits(plain.id()) + " is less than 8",
                check.refusal(plain).message());
        Event mined = mine(List.of("nonce", "", "8"), 8, 8);
        assertNull(check.refusal(mined));
        Event lowCommitment = mine(List.of("nonce", "", "4"), 8, 8);
        assertEquals("pow: committed target 4 is less than 8", check.refusal(lowCommitment).message());
        assertNull(check.refusal(mine(List.of(), 8, 8)), "a lucky id without a commitment counts");
    }

    @Test
    void pubkeysAndKindsAreAllowedOrDenied() {
        EventSigner other = EventSigner.random();
        WritePolicyCheck denying = new WritePolicyCheck(WritePolicy.open()
                .withPubkeys(Set.of(), Set.of(other.pubkey())).withKinds(Set.of(), Set.of(4)));
        assertEquals("blocked: this relay does not accept events from this pubkey",
                denying.refusal(other.sign(1, 1, List.of(), "")).message());
        assertEquals("blocked: this relay does not accept events of kind 4",
                denying.refusal(author.sign(1, 4, List.of(), "")).message());
        assertNull(denying.refusal(author.sign(1, 1, List.of(), "")));

        WritePolicyCheck allowing = new WritePolicyCheck(WritePolicy.open()
                .withPubkeys(Set.of(author.pubkey()), Set.of()).withKinds(Set.of(1, 7), Set.of()));
        assertNull(allowing.refusal(author.sign(1, 7, List.of(), "")));
        assertEquals("blocked: this relay does not accept events from this pubkey",
                allowing.refusal(other.sign(1, 1, List.of(), "")).message());
        assertEquals("blocked: this relay does not accept events of kind 0",
                allowing.refusal(author.sign(1, 0, List.of(), "")).message());
    }

    /**
     * An event whose id has at least {@code minBits} (and, when {@code maxBits} is lower than 256, at most that
     * many) leading zero bits, varying the nonce tag's counter (or the content without one).
     */
    private Event mine(List<String> nonceTag, int minBits, int maxBits) {
        for (int counter = 0; ; counter++) {
            List<List<String>> tags = nonceTag.isEmpty() ? List.of()
                    : List.of(List.of(nonceTag.get(0), Integer.toString(counter), nonceTag.get(2)));
            Event event = author.sign(1, 1, tags, nonceTag.isEmpty() ? "try " + counter : "");
            int bits = WritePolicyCheck.leadingZeroBits(event.id());
            if (bits >= minBits && bits <= maxBits) {
                return event;
            }
        }
    }
}
