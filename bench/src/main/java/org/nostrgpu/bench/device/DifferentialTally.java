package org.nostrgpu.bench.device;

import org.nostrgpu.common.verify.Verdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Verdicts of a backend compared with the reference (libsecp256k1), counted per group of inputs. */
public final class DifferentialTally {
    private static final int MISMATCHES_KEPT = 20;

    /** Counts of one group: how many checks, how many each side called valid, how many differ. */
    public static final class Group {
        private long total;
        private long referenceValid;
        private long backendValid;
        private long backendNotVerified;
        private long mismatches;

        public long total() {
            return total;
        }

        public long referenceValid() {
            return referenceValid;
        }

        public long backendValid() {
            return backendValid;
        }

        public long backendNotVerified() {
            return backendNotVerified;
        }

        public long mismatches() {
            return mismatches;
        }
    }

    public record Mismatch(int index, String group, Verdict reference, Verdict backend) {
    }

    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final List<Mismatch> firstMismatches = new ArrayList<>();
    private long mismatches;

    public void add(int index, String group, Verdict reference, Verdict backend) {
        Group counts = groups.computeIfAbsent(group, g -> new Group());
        counts.total++;
        if (reference == Verdict.VALID) {
            counts.referenceValid++;
        }
        if (backend == Verdict.VALID) {
            counts.backendValid++;
        }
        if (backend == Verdict.NOT_VERIFIED) {
            counts.backendNotVerified++;
        }
        if (reference != backend) {
            counts.mismatches++;
            mismatches++;
            if (firstMismatches.size() < MISMATCHES_KEPT) {
                firstMismatches.add(new Mismatch(index, group, reference, backend));
            }
        }
    }

    public Map<String, Group> groups() {
        return groups;
    }

    public long mismatches() {
        return mismatches;
    }

    public long total() {
        return groups.values().stream().mapToLong(Group::total).sum();
    }

    public List<Mismatch> firstMismatches() {
        return firstMismatches;
    }
}
