package dev.speechfleet.whisper.model;

import java.util.Locale;

/**
 * How far a model download is: reported about once per interval while bytes arrive, and once when
 * the file is complete.
 *
 * @param model          the model name
 * @param received       bytes of the file on disk, including those of an earlier, interrupted attempt
 * @param total          the file's length, or -1 when the server did not say
 * @param resumedFrom    bytes kept from an earlier attempt (0 when this attempt started from the beginning)
 * @param bytesPerSecond average rate of this attempt
 * @param done           whether the whole file has arrived
 */
public record DownloadProgress(String model, long received, long total, long resumedFrom, double bytesPerSecond,
        boolean done) {

    /** For example {@code 12.6 of 77.7 MB (16%), 3.1 MB/s, resumed at 8.0 MB}. */
    public String describe() {
        String amount = total > 0
                ? String.format(Locale.ROOT, "%s of %s MB (%d%%)", mb(received), mb(total), received * 100 / total)
                : mb(received) + " MB";
        String resumed = resumedFrom > 0 ? ", resumed at " + mb(resumedFrom) + " MB" : "";
        return amount + ", " + mb((long) bytesPerSecond) + " MB/s" + resumed;
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }
}
