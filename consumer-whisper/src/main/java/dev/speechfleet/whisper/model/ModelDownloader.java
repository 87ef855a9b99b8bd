package dev.speechfleet.whisper.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches a model file over HTTP into a partial file that outlives an interrupted attempt: the next
 * attempt asks only for the missing bytes ({@code Range}, answered with 206) and appends them, or
 * starts over cleanly when the server sends the whole file instead (200) or cannot continue the
 * partial file (416). HttpURLConnection rather than java.net.http because a stalled transfer must
 * end: it has a read timeout, java.net.http's body streams have none.
 */
final class ModelDownloader {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");

    private final Duration timeout;
    private final Duration progressEvery;

    ModelDownloader(Duration timeout, Duration progressEvery) {
        this.timeout = timeout;
        this.progressEvery = progressEvery;
    }

    /**
     * Completes {@code partial} (open for writing and locked by the caller) from {@code source}.
     *
     * @return the sha256 of the whole file
     * @throws DownloadFailed with what happened; the bytes that arrived stay in {@code partial}
     */
    String download(String model, URI source, FileChannel partial, Consumer<DownloadProgress> progress)
            throws DownloadFailed, InterruptedException {
        long have = size(partial, source);
        HttpURLConnection connection = null;
        try {
            connection = open(source, have);
            int status = connection.getResponseCode();
            if (status == 416 && have > 0) {
                Optional<Long> length = header(connection, "Content-Range", UNSATISFIED_RANGE).map(Long::parseLong);
                if (length.isPresent() && length.get() == have) {
                    return finish(model, partial, have, have, have, 0, progress);
                }
                // The partial file is longer than the model, so it is not part of it: start over.
                connection.disconnect();
                partial.truncate(0);
                have = 0;
                connection = open(source, 0);
                status = connection.getResponseCode();
            }
            long from = startingPoint(connection, status, have, source);
            if (from == 0 && have > 0) {
                partial.truncate(0);
            }
            long total = total(connection, status, from);
            try (InputStream body = connection.getInputStream()) {
                return copy(model, source, body, partial, from, total, progress);
            }
        } catch (DownloadFailed e) {
            throw e;
        } catch (IOException e) {
            throw new DownloadFailed(NetworkFailures.describe(e, source, CONNECT_TIMEOUT, READ_TIMEOUT), e);
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private static HttpURLConnection open(URI source, long from) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) source.toURL().openConnection();
        connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        connection.setReadTimeout((int) READ_TIMEOUT.toMillis());
        connection.setInstanceFollowRedirects(true);
        connection.setRequestProperty("Accept-Encoding", "identity");
        connection.setRequestProperty("User-Agent", "speech-fleet model download");
        if (from > 0) {
            connection.setRequestProperty("Range", "bytes=" + from + "-");
        }
        return connection;
    }

    /** Where the body starts in the file: {@code have} for a 206 continuing it, 0 for a whole file. */
    private static long startingPoint(HttpURLConnection connection, int status, long have, URI source)
            throws IOException {
        if (status == 200) {
            return 0;
        }
        if (status == 206) {
            Matcher range = match(connection.getHeaderField("Content-Range"), CONTENT_RANGE);
            if (range != null && Long.parseLong(range.group(1)) == have) {
                return have;
            }
            throw new DownloadFailed("GET " + source + " answered HTTP 206 with Content-Range "
                    + connection.getHeaderField("Content-Range") + ", which does not continue the " + have
                    + " bytes already here", null);
        }
        String reason = connection.getResponseMessage();
        throw new DownloadFailed("GET " + source + " answered HTTP " + status
                + (reason == null || reason.isBlank() ? "" : " " + reason), null);
    }

    private static long total(HttpURLConnection connection, int status, long from) {
        if (status == 206) {
            Matcher range = match(connection.getHeaderField("Content-Range"), CONTENT_RANGE);
            if (range != null && !range.group(3).equals("*")) {
                return Long.parseLong(range.group(3));
            }
        }
        long length = connection.getContentLengthLong();
        return length < 0 ? -1 : from + length;
    }

    private String copy(String model, URI source, InputStream body, FileChannel partial, long from, long total,
            Consumer<DownloadProgress> progress) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextReport = start + progressEvery.toNanos();
        long received = from;
        byte[] buffer = new byte[1 << 16];
        partial.position(from);
        try {
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                partial.write(ByteBuffer.wrap(buffer, 0, n));
                received += n;
                long now = System.nanoTime();
                if (now >= nextReport) {
                    progress.accept(new DownloadProgress(model, received, total, from, rate(received - from, start),
                            false));
                    nextReport = now + progressEvery.toNanos();
                }
                if (now > deadline) {
                    throw new DownloadFailed("the download took longer than " + timeout.toMinutes()
                            + " min (whisper.model.download-timeout); " + kept(received, total), null);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("model download interrupted; " + kept(received, total));
                }
            }
        } catch (DownloadFailed e) {
            throw e;
        } catch (IOException e) {
            throw new DownloadFailed("the transfer broke off (" + NetworkFailures.describe(e, source,
                    CONNECT_TIMEOUT, READ_TIMEOUT) + "); " + kept(received, total), e);
        }
        if (total >= 0 && received != total) {
            throw new DownloadFailed("the server closed the connection early; " + kept(received, total), null);
        }
        return finish(model, partial, received, total, from, rate(received - from, start), progress);
    }

    /** Reports the complete file and hashes it. */
    private static String finish(String model, FileChannel partial, long received, long total, long from,
            double rate, Consumer<DownloadProgress> progress) throws IOException {
        partial.force(false);
        progress.accept(new DownloadProgress(model, received, total, from, rate, true));
        return sha256(partial);
    }

    private static String sha256(FileChannel file) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        file.position(0);
        while (file.read(buffer) >= 0) {
            buffer.flip();
            digest.update(buffer);
            buffer.clear();
        }
        return Sha256.hex(digest);
    }

    private static String kept(long received, long total) {
        return String.format(Locale.ROOT, "%.1f%s MB are kept and the next attempt resumes from there",
                received / 1e6, total > 0 ? String.format(Locale.ROOT, " of %.1f", total / 1e6) : "");
    }

    private static double rate(long bytes, long startNanos) {
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        return bytes / seconds;
    }

    private static long size(FileChannel partial, URI source) throws DownloadFailed {
        try {
            return partial.size();
        } catch (IOException e) {
            throw new DownloadFailed("cannot read the partial download of " + source + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> header(HttpURLConnection connection, String name, Pattern pattern) {
        return Optional.ofNullable(match(connection.getHeaderField(name), pattern)).map(m -> m.group(1));
    }

    private static Matcher match(String value, Pattern pattern) {
        if (value == null) {
            return null;
        }
        Matcher matcher = pattern.matcher(value.strip());
        return matcher.matches() ? matcher : null;
    }

    /** A download that did not complete; the message says why, in words. */
    static final class DownloadFailed extends IOException {
        DownloadFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
