package org.nostrgpu.worker;

import org.nostrgpu.common.verify.CpuSchnorrVerifier;
import org.nostrgpu.worker.cuda.CudaDeviceInfo;
import org.nostrgpu.worker.cuda.CudaOptions;
import org.nostrgpu.worker.cuda.CudaSchnorrVerifier;
import org.nostrgpu.worker.cuda.CudaUnavailableException;
import org.nostrgpu.worker.cuda.KnownAnswers;

import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Chooses the signature verifier at start: CUDA when a device is present, the kernel loads, and a
 * known-answer batch comes back right; otherwise the CPU backend, with the reason why.
 */
public final class VerifierBackends {
    private static final System.Logger LOG = System.getLogger(VerifierBackends.class.getName());

    /** Opens the CUDA backend and checks it, or says why it cannot be used. */
    @FunctionalInterface
    public interface CudaOpener {
        BackendSelection open() throws CudaUnavailableException;
    }

    /**
     * @param cpuThreads threads of the CPU backend, if it is chosen
     * @throws IllegalStateException when {@code choice} is {@link BackendChoice#CUDA} and CUDA cannot be used
     */
    public static BackendSelection select(BackendChoice choice, int cpuThreads, CudaOptions cuda) {
        return select(choice, cpuThreads, () -> openCuda(cuda));
    }

    /** As {@link #select(BackendChoice, int, CudaOptions)}, opening CUDA with {@code cuda}. */
    public static BackendSelection select(BackendChoice choice, int cpuThreads, CudaOpener cuda) {
        BackendSelection selection = switch (choice) {
            case CPU -> new BackendSelection(new CpuSchnorrVerifier(cpuThreads), "backend cpu configured", null);
            case CUDA -> {
                try {
                    yield cuda.open();
                } catch (CudaUnavailableException e) {
                    throw new IllegalStateException("backend cuda configured but CUDA cannot be used: "
                            + e.getMessage(), e);
                }
            }
            case AUTO -> {
                try {
                    yield cuda.open();
                } catch (CudaUnavailableException e) {
                    yield new BackendSelection(new CpuSchnorrVerifier(cpuThreads), e.getMessage(), null);
                }
            }
        };
        LOG.log(Level.INFO, "signature verifier: {0}", selection.summary());
        return selection;
    }

    /** Opens the CUDA backend and checks it on known answers ({@link #selfTested}). */
    public static BackendSelection openCuda(CudaOptions options) throws CudaUnavailableException {
        CudaDeviceInfo device = CudaDeviceInfo.of(options.deviceOrdinal());
        return selfTested(CudaSchnorrVerifier.open(options), device);
    }

    /**
     * The opened CUDA backend as a selection once it answers the known answers right; closed again, with the
     * reason, when it does not (e.g. a kernel whose verdict codes differ from the worker's).
     */
    public static BackendSelection selfTested(CudaSchnorrVerifier verifier, CudaDeviceInfo device)
            throws CudaUnavailableException {
        Optional<String> failures = KnownAnswers.failures(verifier);
        if (failures.isPresent()) {
            verifier.close();
            throw new CudaUnavailableException("self-test failed: " + failures.get());
        }
        return new BackendSelection(verifier, "CUDA device present, kernel loaded, self-test passed", device, null,
                verifier.keyCache());
    }

    private VerifierBackends() {
    }
}
