package dev.speechfleet.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** CPU time each process of a run used between {@link #start} and {@link #stop} (user plus system). */
final class CpuMeter {

    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Map<String, Long> before = new LinkedHashMap<>();
    private final Map<String, Long> used = new LinkedHashMap<>();

    CpuMeter add(String name, long pid) {
        pids.put(name, pid);
        return this;
    }

    CpuMeter start() {
        pids.forEach((name, pid) -> before.put(name, cpuNanos(pid)));
        return this;
    }

    /** CPU milliseconds per process since {@link #start}; a process that died meanwhile is left out. */
    Map<String, Long> stop() {
        pids.forEach((name, pid) -> {
            long now = cpuNanos(pid);
            if (now >= 0) {
                used.put(name, (now - before.get(name)) / 1_000_000);
            }
        });
        return used;
    }

    private static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).flatMap(p -> p.info().totalCpuDuration())
                .map(d -> d.toNanos()).orElse(-1L);
    }
}
