package org.nostrgpu.bench.device;

import org.nostrgpu.common.event.Hex;
import org.nostrgpu.common.verify.Bip340VectorFile;
import org.nostrgpu.common.verify.SignatureBatch;
import org.nostrgpu.common.verify.SignatureCheck;
import org.nostrgpu.common.verify.SignatureRecords;
import org.nostrgpu.common.verify.Verdict;
import org.nostrgpu.worker.cuda.CudaOptions;
import org.nostrgpu.worker.cuda.CudaSchnorrVerifier;
import org.nostrgpu.worker.cuda.CudaUnavailableException;
import org.nostrgpu.worker.cuda.KnownAnswers;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The BIP-340 vectors and both corpora through the CUDA backend's record path (one {@code verify} call per corpus,
 * cut into launches by the pipeline) against libsecp256k1: with the configured key cache (the Zipf corpus twice, the
 * second time on a warm cache), with a tiny cache that forces evictions, and without a cache. Every verdict must
 * agree; a backend that fails its self-test is checked anyway, to show what differs.
 */
final class DifferentialPart {

    static int run(DeviceCheckOptions options, PartResults results) throws Exception {
        List<DeviceCorpus> corpora = DeviceCorpus.load(options, results);
        DeviceCorpus distinct = corpora.get(0);
        DeviceCorpus zipf = corpora.get(1);
        Optional<DeviceCorpus> vectors = vectors(options, results);
        if (!results.machine().hasGpu()) {
            results.log("CUDA unavailable (" + results.machine().noGpu() + "): no differential test on this machine");
            results.put("cuda", false);
            return 0;
        }
        CudaOptions cuda = DeviceCheck.cudaOptions(options);
        PartResults.Table runs = results.table("Differential test: CUDA backend (records in, verdict bytes out) against"
                        + " libsecp256k1", "corpus", "key cache", "signatures", "valid (libsecp256k1)", "valid (GPU)",
                "not verified (GPU)", "mismatches", "seconds");
        List<Map<String, Object>> json = new ArrayList<>();
        DifferentialTally tally = new DifferentialTally();
        List<Run> plan = new ArrayList<>();
        vectors.ifPresent(v -> plan.add(new Run(v, options.keyCacheEntries(), "")));
        plan.add(new Run(distinct, options.keyCacheEntries(), ""));
        plan.add(new Run(zipf, options.keyCacheEntries(), ""));
        plan.add(new Run(zipf, options.keyCacheEntries(), ", again: warm cache"));
        vectors.ifPresent(v -> plan.add(new Run(v, options.tinyKeyCacheEntries(), "")));
        plan.add(new Run(zipf, options.tinyKeyCacheEntries(), ", tiny cache: evictions"));
        plan.add(new Run(distinct, options.tinyKeyCacheEntries(), ", tiny cache: evictions"));
        plan.add(new Run(zipf, 0, ", no cache"));

        CudaSchnorrVerifier verifier = null;
        int openedWith = -1;
        try {
            for (Run run : plan) {
                if (run.cacheEntries() != openedWith) {
                    if (verifier != null) {
                        verifier.close();
                    }
                    verifier = open(cuda.withKeyCacheEntries(run.cacheEntries()), results);
                    openedWith = run.cacheEntries();
                }
                if (results.outOfTime()) {
                    results.log("out of time: skipping " + run.corpus().name() + run.note());
                    continue;
                }
                byte[] verdicts = new byte[run.corpus().size()];
                long start = System.nanoTime();
                verifier.verify(SignatureBatch.of(run.corpus().records(), verdicts));
                double seconds = Timings.since(start);
                long validReference = 0;
                long validGpu = 0;
                long undecided = 0;
                long wrong = 0;
                for (int i = 0; i < verdicts.length; i++) {
                    Verdict expected = Verdict.ofCode(run.corpus().reference()[i]);
                    Verdict got = Verdict.ofCode(verdicts[i]);
                    validReference += expected == Verdict.VALID ? 1 : 0;
                    validGpu += got == Verdict.VALID ? 1 : 0;
                    undecided += got == Verdict.NOT_VERIFIED ? 1 : 0;
                    if (got != expected) {
                        wrong++;
                        tally.add(i, run.corpus().name() + run.note() + " / " + groupOf(run.corpus(), i), expected, got);
                    }
                }
                results.mismatches(wrong);
                String cache = run.cacheEntries() == 0 ? "off" : verifier.keyCache();
                runs.row(run.corpus().name() + run.note(), cache, run.corpus().size(), validReference, validGpu,
                        undecided, wrong, PartResults.f("%.3f", seconds));
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("corpus", run.corpus().name() + run.note());
                row.put("keyCache", cache);
                row.put("signatures", run.corpus().size());
                row.put("mismatches", wrong);
                row.put("notVerified", undecided);
                row.put("seconds", seconds);
                json.add(row);
                results.log(PartResults.f("%s%s, key cache %s: %d signatures in %.3f s, %d mismatches",
                        run.corpus().name(), run.note(), cache, run.corpus().size(), seconds, wrong));
            }
        } finally {
            if (verifier != null) {
                verifier.close();
            }
        }
        runs.print();
        results.put("runs", json);
        for (DifferentialTally.Mismatch mismatch : tally.firstMismatches()) {
            results.log("MISMATCH " + mismatch.group() + " #" + mismatch.index() + ": libsecp256k1 "
                    + mismatch.reference() + ", GPU " + mismatch.backend());
        }
        if (!tally.firstMismatches().isEmpty()) {
            PartResults.Table groups = results.table("Mismatches by group", "group", "mismatches");
            tally.groups().forEach((group, counts) -> groups.row(group, counts.mismatches()));
            groups.print();
            printExamples(tally, vectors, distinct, zipf, results);
        }
        return 0;
    }

    private record Run(DeviceCorpus corpus, int cacheEntries, String note) {
    }

    private static String groupOf(DeviceCorpus corpus, int index) {
        SignatureCategory category = corpus.categories()[index];
        return category == null ? "vector" : category.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Opens the backend without refusing a failed self-test: the differential test is what shows what differs. */
    private static CudaSchnorrVerifier open(CudaOptions cuda, PartResults results) throws CudaUnavailableException {
        CudaSchnorrVerifier verifier = CudaSchnorrVerifier.open(cuda);
        Optional<String> selfTest = KnownAnswers.failures(verifier);
        results.log(verifier.describe() + ", key cache " + verifier.keyCache() + ", self-test: "
                + selfTest.map(f -> "FAILED (" + f + "); checking anyway").orElse("passed"));
        return verifier;
    }

    /** The official vectors as a corpus whose reference is each vector's stated result. */
    private static Optional<DeviceCorpus> vectors(DeviceCheckOptions options, PartResults results) throws IOException {
        if (options.vectors() == null) {
            results.log("no --vectors file: the BIP-340 vectors are skipped");
            return Optional.empty();
        }
        List<Bip340VectorFile.Vector> vectors;
        try (Reader reader = Files.newBufferedReader(options.vectors(), StandardCharsets.UTF_8)) {
            vectors = Bip340VectorFile.read(reader);
        }
        List<SignatureCheck> checks = vectors.stream().map(Bip340VectorFile.Vector::check).toList();
        byte[] reference = new byte[checks.size()];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = (vectors.get(i).expectedValid() ? Verdict.VALID : Verdict.INVALID).code();
        }
        SignatureRecords records = SignatureRecords.of(checks);
        byte[] packed = new byte[Math.toIntExact(SignatureRecords.bytesFor(checks.size()))];
        records.copyTo(0, checks.size(), java.nio.ByteBuffer.wrap(packed), 0);
        results.log("BIP-340 vectors: " + checks.size() + " rows with 32-byte messages from " + options.vectors());
        return Optional.of(new DeviceCorpus("bip340 vectors", packed, new SignatureCategory[checks.size()], reference));
    }

    private static void printExamples(DifferentialTally tally, Optional<DeviceCorpus> vectors, DeviceCorpus distinct,
                                      DeviceCorpus zipf, PartResults results) {
        for (DifferentialTally.Mismatch mismatch : tally.firstMismatches()) {
            DeviceCorpus corpus = mismatch.group().startsWith(zipf.name()) ? zipf
                    : mismatch.group().startsWith(distinct.name()) ? distinct : vectors.orElse(null);
            if (corpus == null) {
                continue;
            }
            SignatureCheck check = corpus.records().check(mismatch.index());
            results.log("  #" + mismatch.index() + " message " + Hex.encode(check.message()) + " pubkey "
                    + Hex.encode(check.pubkey()) + " signature " + Hex.encode(check.signature()));
        }
    }

    private DifferentialPart() {
    }
}
