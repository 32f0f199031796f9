package org.nostrgpu.common.config;

import java.util.Set;

/**
 * The operator's rules for which events this relay accepts, beyond the protocol limits: the {@code write-policy}
 * section of the relay's YAML file. Empty sets impose nothing.
 *
 * @param minPowDifficulty NIP-13: leading zero bits an event id must have (and a {@code nonce} tag's committed target
 *                         must reach); 0 for none
 * @param allowedPubkeys   when not empty, only these authors may publish
 * @param deniedPubkeys    these authors may not publish
 * @param allowedKinds     when not empty, only these kinds are accepted
 * @param deniedKinds      these kinds are refused
 */
public record WritePolicy(int minPowDifficulty, Set<String> allowedPubkeys, Set<String> deniedPubkeys,
                          Set<Integer> allowedKinds, Set<Integer> deniedKinds) {
    /** An id has 256 bits. */
    public static final int MAX_POW_DIFFICULTY = 256;

    public WritePolicy {
        if (minPowDifficulty < 0 || minPowDifficulty > MAX_POW_DIFFICULTY) {
            throw new ConfigException("write-policy.min-pow-difficulty must be from 0 to " + MAX_POW_DIFFICULTY
                    + ", got " + minPowDifficulty);
        }
        allowedPubkeys = Set.copyOf(allowedPubkeys);
        deniedPubkeys = Set.copyOf(deniedPubkeys);
        allowedKinds = Set.copyOf(allowedKinds);
        deniedKinds = Set.copyOf(deniedKinds);
    }

    /** Every event the protocol allows. */
    public static WritePolicy open() {
        return new WritePolicy(0, Set.of(), Set.of(), Set.of(), Set.of());
    }

    /** Whether some events are kept out by this policy (NIP-11's {@code restricted_writes}). */
    public boolean restrictsWrites() {
        return minPowDifficulty > 0 || !allowedPubkeys.isEmpty() || !deniedPubkeys.isEmpty()
                || !allowedKinds.isEmpty() || !deniedKinds.isEmpty();
    }

    public WritePolicy withMinPowDifficulty(int bits) {
        return new WritePolicy(bits, allowedPubkeys, deniedPubkeys, allowedKinds, deniedKinds);
    }

    public WritePolicy withPubkeys(Set<String> allowed, Set<String> denied) {
        return new WritePolicy(minPowDifficulty, allowed, denied, allowedKinds, deniedKinds);
    }

    public WritePolicy withKinds(Set<Integer> allowed, Set<Integer> denied) {
        return new WritePolicy(minPowDifficulty, allowedPubkeys, deniedPubkeys, allowed, denied);
    }
}
