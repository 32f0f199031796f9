package org.nostrgpu.bench.suite;

import io.vertx.core.json.JsonObject;
import org.nostrgpu.bench.verify.ProcessCpu;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of named local processes (the relays, the worker, this load generator) between two instants, from
 * /proc, as microseconds per unit of work: a figure that holds on a shared machine where rates do not.
 */
final class CpuMeter {
    static final String LOAD_GENERATOR = "load generator";

    private final Map<String, Long> pids;
    private final Map<String, Long> before = new LinkedHashMap<>();

    private CpuMeter(Map<String, Long> pids) {
        this.pids = pids;
        pids.forEach((name, pid) -> before.put(name, ProcessCpu.nanos(pid)));
    }

    /** Starts counting for these processes and this one. */
    static CpuMeter start(Map<String, Long> processes) {
        Map<String, Long> pids = new LinkedHashMap<>(processes);
        pids.put(LOAD_GENERATOR, ProcessHandle.current().pid());
        return new CpuMeter(pids);
    }

    /** Microseconds of CPU per unit (e.g. per accepted event) of each process since the start; null if unreadable. */
    JsonObject microsPer(long units) {
        JsonObject json = new JsonObject();
        pids.forEach((name, pid) -> {
            long now = ProcessCpu.nanos(pid);
            long then = before.get(name);
            json.put(name, now < 0 || then < 0 || units <= 0 ? null
                    : Math.round((now - then) / 1e2 / units) / 10.0);
        });
        return json;
    }
}
