package org.nostrgpu.worker.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The verify kernel's PTX: bundled in the jar, or a file given to override it. */
final class KernelSource {
    static final String RESOURCE = "/kernels/bip340_verify.ptx";
    static final String FUNCTION = "bip340_verify_batch";

    /** The PTX text with the terminating zero byte cuModuleLoadData needs. */
    static byte[] load(Path override) throws CudaUnavailableException {
        byte[] text;
        if (override != null) {
            try {
                text = Files.readAllBytes(override);
            } catch (IOException e) {
                throw new CudaUnavailableException("kernel missing: cannot read " + override + ": " + e, e);
            }
        } else {
            try (InputStream in = KernelSource.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new CudaUnavailableException("kernel missing: no " + RESOURCE + " on the classpath");
                }
                text = in.readAllBytes();
            } catch (IOException e) {
                throw new CudaUnavailableException("kernel missing: cannot read " + RESOURCE + ": " + e, e);
            }
        }
        if (text.length == 0) {
            throw new CudaUnavailableException("kernel missing: the PTX is empty");
        }
        return Arrays.copyOf(text, text.length + 1);
    }

    private KernelSource() {
    }
}
