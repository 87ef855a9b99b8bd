package dev.speechfleet.core.redis;

/** Arithmetic on stream ids ({@code ms-seq}). */
public final class StreamIds {

    private StreamIds() {
    }

    /** Compares two ids numerically. */
    public static int compare(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        int byMillis = Long.compareUnsigned(x[0], y[0]);
        return byMillis != 0 ? byMillis : Long.compareUnsigned(x[1], y[1]);
    }

    /** The smallest id greater than {@code id}. */
    public static String next(String id) {
        long[] parts = parse(id);
        if (parts[1] == -1L) {
            return (parts[0] + 1) + "-0";
        }
        return parts[0] + "-" + (parts[1] + 1);
    }

    /** The smaller of two ids. */
    public static String min(String a, String b) {
        return compare(a, b) <= 0 ? a : b;
    }

    static long[] parse(String id) {
        int dash = id.indexOf('-');
        if (dash < 0) {
            return new long[] {Long.parseUnsignedLong(id), 0};
        }
        return new long[] {Long.parseUnsignedLong(id.substring(0, dash)), Long.parseUnsignedLong(id.substring(dash + 1))};
    }
}
