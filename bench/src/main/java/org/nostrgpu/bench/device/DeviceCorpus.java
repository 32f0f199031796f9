package org.nostrgpu.bench.device;

import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.common.verify.SignatureBatch;
import org.nostrgpu.common.verify.SignatureRecords;
import org.nostrgpu.common.verify.Verdict;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A corpus the parts share: packed records, each record's {@link SignatureCategory}, and libsecp256k1's verdict
 * codes as the reference. The corpus part makes them once and saves them under the work directory, so every later
 * part (each its own JVM) loads them in a moment instead of signing again; a part that finds none makes them itself.
 */
record DeviceCorpus(String name, byte[] packed, SignatureCategory[] categories, byte[] reference) {
    private static final int MAGIC = 0x4E474331; // "NGC1"

    int size() {
        return categories.length;
    }

    SignatureRecords records() {
        return SignatureRecords.view(ByteBuffer.wrap(packed));
    }

    /** The corpus's records {@code [0, size)} repeated to {@code size} records, as runs of one batch. */
    SignatureBatch batch(int size, byte[] verdicts) {
        List<SignatureBatch.Run> runs = new ArrayList<>();
        SignatureRecords all = records();
        for (int from = 0; from < size; from += size()) {
            int length = Math.min(size(), size - from);
            runs.add(new SignatureBatch.Run(all.slice(0, length), verdicts, from));
        }
        return SignatureBatch.of(runs);
    }

    /** Verdicts at batch position i that differ from the reference of record i mod size. */
    long mismatches(byte[] verdicts, int count) {
        long wrong = 0;
        for (int i = 0, r = 0; i < count; i++, r = r + 1 == reference.length ? 0 : r + 1) {
            if (verdicts[i] != reference[r]) {
                wrong++;
            }
        }
        return wrong;
    }

    /** The two corpora of the check, from the work directory, made (and saved) first when missing. */
    static List<DeviceCorpus> load(DeviceCheckOptions options, PartResults results) throws IOException {
        List<DeviceCorpus> corpora = new ArrayList<>();
        for (RandomSignatures signatures : generators(options)) {
            Path file = options.work().resolve(fileName(signatures, options));
            if (Files.isRegularFile(file)) {
                long start = System.nanoTime();
                DeviceCorpus corpus = read(file);
                results.log("loaded " + corpus.size() + " signatures (" + corpus.name() + ") from " + file + " in "
                        + PartResults.f("%.1f", (System.nanoTime() - start) / 1e9) + " s");
                corpora.add(corpus);
            } else {
                corpora.add(make(signatures, options, results));
            }
        }
        return corpora;
    }

    /** Signs the corpora and verifies them with libsecp256k1, saving both under the work directory. */
    static List<DeviceCorpus> make(DeviceCheckOptions options, PartResults results) throws IOException {
        List<DeviceCorpus> corpora = new ArrayList<>();
        for (RandomSignatures signatures : generators(options)) {
            corpora.add(make(signatures, options, results));
        }
        return corpora;
    }

    private static DeviceCorpus make(RandomSignatures signatures, DeviceCheckOptions options, PartResults results)
            throws IOException {
        long start = System.nanoTime();
        RandomSignatures.Corpus made = signatures.generate(options.randomSignatures(), options.threads());
        double signing = (System.nanoTime() - start) / 1e9;
        byte[] reference = new byte[made.size()];
        start = System.nanoTime();
        try (CpuSchnorrVerifier cpu = new CpuSchnorrVerifier(options.threads())) {
            cpu.verify(SignatureBatch.of(made.records(), reference));
        }
        double verifying = (System.nanoTime() - start) / 1e9;
        for (int i = 0; i < reference.length; i++) {
            Verdict expected = made.categories()[i].valid() ? Verdict.VALID : Verdict.INVALID;
            if (reference[i] != expected.code()) {
                throw new IllegalStateException("libsecp256k1 judged signature " + i + " of category "
                        + made.categories()[i] + " " + Verdict.ofCode(reference[i]));
            }
        }
        DeviceCorpus corpus = new DeviceCorpus(made.name(), made.packed(), made.categories(), reference);
        Path file = options.work().resolve(fileName(signatures, options));
        write(file, corpus);
        results.log(PartResults.f("signed %d signatures (%s) on %d threads in %.1f s; libsecp256k1 verified them in"
                        + " %.1f s (%,.0f verifies/s); saved to %s", corpus.size(), corpus.name(), options.threads(),
                signing, verifying, corpus.size() / verifying, file));
        return corpus;
    }

    private static List<RandomSignatures> generators(DeviceCheckOptions options) {
        return List.of(new RandomSignatures(options.seed()),
                RandomSignatures.zipfAuthors(options.seed(), options.authors(), options.zipfExponent()));
    }

    private static String fileName(RandomSignatures signatures, DeviceCheckOptions options) {
        return (signatures.describe() + " n=" + options.randomSignatures() + " seed=" + options.seed())
                .replaceAll("[^A-Za-z0-9.=]+", "-") + ".corpus";
    }

    static void write(Path file, DeviceCorpus corpus) throws IOException {
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(partial),
                1 << 20))) {
            out.writeInt(MAGIC);
            out.writeUTF(corpus.name());
            out.writeInt(corpus.size());
            out.write(corpus.packed());
            for (SignatureCategory category : corpus.categories()) {
                out.writeByte(category.ordinal());
            }
            out.write(corpus.reference());
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static DeviceCorpus read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a corpus file");
            }
            String name = in.readUTF();
            int count = in.readInt();
            byte[] packed = new byte[Math.toIntExact(SignatureRecords.bytesFor(count))];
            in.readFully(packed);
            SignatureCategory[] categories = new SignatureCategory[count];
            SignatureCategory[] all = SignatureCategory.values();
            for (int i = 0; i < count; i++) {
                categories[i] = all[in.readUnsignedByte()];
            }
            byte[] reference = new byte[count];
            in.readFully(reference);
            return new DeviceCorpus(name, packed, categories, reference);
        }
    }
}
