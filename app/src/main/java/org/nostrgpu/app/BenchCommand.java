package org.nostrgpu.app;

import org.nostrgpu.bench.suite.BenchSuite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bench}: the benchmark suite of the bench module (org.nostrgpu.bench.suite), which reads its own options;
 * this command only hands them over, so the suite's code stays beside the product rather than in it.
 */
@Command(name = "bench",
        versionProvider = VersionProvider.class,
        description = {"Run the benchmark suite: a realistic signed corpus; signature throughput by batch size (CPU 1 "
                + "thread, all threads, CUDA when usable); 25 and 50 publishing connections; fixed offered rates "
                + "with the OK latency curve; REQ latency per filter shape; N relays : 1 worker on loopback; GPU "
                + "utilisation, memory and power when nvidia-smi is there. Writes result.json and report.html "
                + "(self-contained, inline SVG charts) under --out.",
                "Options (all optional): --out DIR, --url ws://HOST:PORT/ [--relay-pid PID] (load any NIP-01 relay "
                        + "instead of one started here), --scenarios signatures,connections,rates,req,relays, --seed N, "
                        + "--warmup EVENTS, --signature-batches 1,10,..., --one-thread-max-batch N, "
                        + "--signature-seconds S, --signature-repetitions N, --cuda auto|off, --connections 25,50, "
                        + "--connection-events N, --rates R1,R2,..., --rate-seconds S, --rate-connections N, "
                        + "--req-queries N, --relays 1,2,4, --relay-events N, --relay-connections N, "
                        + "--worker-backend cpu|cuda|auto, --heap SIZE (each service started), "
                        + "--service-jvm \"JVM OPTIONS\", --gpu-sample-ms MS. See README, Benchmarks."})
final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "OPTION", arity = "0..*", description = "The suite's options, as listed above.")
    List<String> options = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return BenchSuite.run(options.toArray(String[]::new));
    }
}
