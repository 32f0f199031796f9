package org.nostrgpu.relay.ingest;

import org.nostrgpu.common.answer.AnswerPrefix;
import org.nostrgpu.common.config.WritePolicy;
import org.nostrgpu.common.event.Event;

import java.util.List;

/**
 * The operator's {@link WritePolicy} on one event whose id is known to be right: allowed and denied authors and
 * kinds ({@code blocked:}), and NIP-13 proof of work ({@code pow:}): the id's leading zero bits, and the target a
 * {@code ["nonce", n, target]} tag commits to, must both reach the minimum (a lucky id without the commitment counts;
 * one that commits to less does not, as NIP-13 asks, so a low-target miner cannot collect lucky hits).
 */
public final class WritePolicyCheck {
    private final WritePolicy policy;

    public WritePolicyCheck(WritePolicy policy) {
        this.policy = policy;
    }

    /** Why the policy keeps the event out, or null when it lets it in. */
    public OkReply refusal(Event event) {
        if (policy.deniedPubkeys().contains(event.pubkey())
                || !policy.allowedPubkeys().isEmpty() && !policy.allowedPubkeys().contains(event.pubkey())) {
            return OkReply.of(AnswerPrefix.BLOCKED, "this relay does not accept events from this pubkey");
        }
        if (policy.deniedKinds().contains(event.kind())
                || !policy.allowedKinds().isEmpty() && !policy.allowedKinds().contains(event.kind())) {
            return OkReply.of(AnswerPrefix.BLOCKED, "this relay does not accept events of kind " + event.kind());
        }
        int required = policy.minPowDifficulty();
        if (required > 0) {
            int difficulty = leadingZeroBits(event.id());
            if (difficulty < required) {
                return OkReply.of(AnswerPrefix.POW, "difficulty " + difficulty + " is less than " + required);
            }
            Integer committed = committedTarget(event);
            if (committed != null && committed < required) {
                return OkReply.of(AnswerPrefix.POW, "committed target " + committed + " is less than " + required);
            }
        }
        return null;
    }

    /** NIP-13 difficulty: leading zero bits of the 64-hex-character id. */
    static int leadingZeroBits(String idHex) {
        int bits = 0;
        for (int i = 0; i < idHex.length(); i++) {
            int nibble = Character.digit(idHex.charAt(i), 16);
            if (nibble == 0) {
                bits += 4;
            } else {
                return bits + Integer.numberOfLeadingZeros(nibble) - 28;
            }
        }
        return bits;
    }

    /** The target of the first {@code nonce} tag that states one, or null. */
    private static Integer committedTarget(Event event) {
        for (List<String> tag : event.tags()) {
            if (tag.size() >= 3 && tag.get(0).equals("nonce")) {
                try {
                    return Integer.parseInt(tag.get(2));
                } catch (NumberFormatException notANumber) {
                    return 0; // a commitment nobody can check commits to nothing
                }
            }
        }
        return null;
    }
}
