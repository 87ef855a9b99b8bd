package dev.speechfleet.core.worker;

import java.util.Arrays;

/** The last few processing times and real-time factors, for the health the router routes on. */
final class RecentTimings {

    private final long[] millis;
    private final double[] factors;
    private int next;
    private int size;

    RecentTimings(int capacity) {
        millis = new long[capacity];
        factors = new double[capacity];
    }

    synchronized void add(long processingMs, long audioMs) {
        millis[next] = processingMs;
        factors[next] = audioMs > 0 ? processingMs / (double) audioMs : 0;
        next = (next + 1) % millis.length;
        size = Math.min(size + 1, millis.length);
    }

    /** 95th percentile of the recent processing times; 0 with no data. */
    synchronized long p95Millis() {
        if (size == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(millis, size);
        Arrays.sort(sorted);
        return sorted[Math.min(size - 1, (int) Math.ceil(size * 0.95) - 1)];
    }

    /** Median recent real-time factor; 0 with no data. */
    synchronized double medianRealTimeFactor() {
        if (size == 0) {
            return 0;
        }
        double[] sorted = Arrays.copyOf(factors, size);
        Arrays.sort(sorted);
        return sorted[size / 2];
    }
}
