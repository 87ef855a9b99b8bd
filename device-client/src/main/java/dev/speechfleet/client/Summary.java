package dev.speechfleet.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** The closing lines: per device, and over all devices. */
final class Summary {

    private Summary() {
    }

    static String of(DeviceReport r) {
        return String.format(Locale.ROOT,
                "%s: %d result(s) (%d transcript(s), %d error(s)), %s, %s, %d resume(s), %d duplicate(s) ignored, "
                        + "closed %d, latency %s%s",
                r.deviceId(), r.results().size(), r.transcripts(), r.results().size() - r.transcripts(),
                r.inOrder() ? "in order" : "OUT OF ORDER", r.gaps().isEmpty() ? "no gaps" : "missing " + r.gaps(),
                r.resumes(), r.duplicates(), r.closeCode(), percentiles(r.latenciesMs()),
                r.sessionErrors().isEmpty() ? "" : ", session errors " + r.sessionErrors());
    }

    static String fleet(List<DeviceReport> reports) {
        List<Long> all = new ArrayList<>();
        reports.forEach(r -> all.addAll(r.latenciesMs()));
        long healthy = reports.stream().filter(DeviceReport::healthy).count();
        long results = reports.stream().mapToLong(r -> r.results().size()).sum();
        return String.format(Locale.ROOT, "all devices: %d/%d healthy, %d result(s), latency %s", healthy,
                reports.size(), results, percentiles(all));
    }

    static String percentiles(List<Long> latencies) {
        if (latencies.isEmpty()) {
            return "n/a";
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "p50 %d ms, p95 %d ms, max %d ms", at(sorted, 0.50), at(sorted, 0.95),
                sorted.getLast());
    }

    private static long at(List<Long> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
    }
}
