package dev.speechfleet.whisper.engine;

/**
 * Band-limited resampling to Whisper's 16 kHz: a Hann-windowed sinc, low-passed at the lower of the
 * two Nyquist frequencies, so that 8 kHz telephone-band audio is interpolated without images and
 * higher rates are reduced without aliasing.
 */
public final class Resampler {

    /** Zero crossings of the sinc kept on each side, at the output's cut-off. */
    private static final int HALF_TAPS = 16;

    private Resampler() {
    }

    /**
     * {@code samples} taken at {@code fromRate} Hz, as taken at {@code toRate} Hz.
     *
     * @throws IllegalArgumentException when a rate is not positive
     */
    public static float[] resample(float[] samples, int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + fromRate + " → " + toRate);
        }
        if (fromRate == toRate || samples.length == 0) {
            return samples.clone();
        }
        double step = (double) fromRate / toRate;
        // Cut-off as a fraction of the input's Nyquist frequency: below 1 when the rate goes down.
        double cutoff = Math.min(1.0, (double) toRate / fromRate);
        double halfWidth = HALF_TAPS / cutoff;
        int length = (int) Math.round(samples.length / step);
        float[] out = new float[length];
        for (int n = 0; n < length; n++) {
            out[n] = (float) interpolate(samples, n * step, cutoff, halfWidth);
        }
        return out;
    }

    private static double interpolate(float[] x, double t, double cutoff, double halfWidth) {
        int first = Math.max(0, (int) Math.ceil(t - halfWidth));
        int last = Math.min(x.length - 1, (int) Math.floor(t + halfWidth));
        double sum = 0;
        for (int k = first; k <= last; k++) {
            double d = t - k;
            sum += x[k] * cutoff * sinc(cutoff * d) * hann(d / halfWidth);
        }
        return sum;
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-12) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Hann window over -1..1. */
    private static double hann(double x) {
        return Math.abs(x) >= 1 ? 0 : 0.5 * (1 + Math.cos(Math.PI * x));
    }
}
