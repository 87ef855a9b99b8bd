package dev.speechfleet.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Percentiles of one run and min / median / max over runs. */
final class Stats {

    private Stats() {
    }

    /** The {@code p}-th percentile (nearest rank) of {@code values}, which it sorts. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(values);
        int rank = (int) Math.ceil(p / 100.0 * values.length);
        return values[Math.max(0, Math.min(values.length - 1, rank - 1))];
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    /** "min / median / max" of the runs' figures, with {@code decimals} decimals. */
    static String spread(List<Double> runs, int decimals) {
        double[] sorted = runs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        String f = "%." + decimals + "f";
        return String.format(Locale.ROOT, f + " / " + f + " / " + f, sorted[0], median(sorted),
                sorted[sorted.length - 1]);
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double median(List<Double> runs) {
        return median(runs.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }

    /** The machine's one-minute load average. */
    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
