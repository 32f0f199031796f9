package org.nostrgpu.bench.device;

import org.nostrgpu.worker.BackendSelection;
import org.nostrgpu.worker.VerifierBackends;
import org.nostrgpu.worker.cuda.CudaKernel;
import org.nostrgpu.worker.cuda.CudaOptions;
import org.nostrgpu.worker.cuda.CudaUnavailableException;
import org.nostrgpu.worker.cuda.KernelAttributes;

/**
 * The machine and whether the CUDA backend can be used on it: device, kernel attributes, key cache and the
 * known-answer self-test. Exit status 3 when CUDA cannot be used, with the reason.
 */
final class MachinePart {

    static int run(DeviceCheckOptions options, PartResults results) {
        CudaOptions cuda = DeviceCheck.cudaOptions(options);
        PartResults.Table table = results.table("Machine and CUDA backend", "what", "value");
        table.row("GPU", results.machine().gpu());
        table.row("CPU", results.machine().cores() + " × " + results.machine().cpu());
        table.row("Java", results.machine().java());
        int status = 0;
        try (CudaKernel kernel = CudaKernel.open(cuda)) {
            KernelAttributes attributes = kernel.attributes();
            table.row("kernel", attributes.toString());
            results.put("kernel", attributes);
        } catch (CudaUnavailableException e) {
            table.row("kernel", "not loaded: " + e.getMessage());
        }
        try {
            BackendSelection selection = VerifierBackends.openCuda(cuda);
            table.row("CUDA backend", selection.verifier().describe() + ": " + selection.reason());
            table.row("key cache", selection.keyCache());
            results.put("cuda", true);
            results.put("keyCache", selection.keyCache());
            selection.close();
        } catch (CudaUnavailableException e) {
            table.row("CUDA backend", "unavailable: " + e.getMessage());
            results.put("cuda", false);
            results.put("noCuda", e.getMessage());
            results.log("CUDA unavailable: " + e.getMessage());
            status = DeviceCheck.NO_CUDA;
        }
        table.print();
        return status;
    }

    private MachinePart() {
    }
}
