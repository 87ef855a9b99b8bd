package dev.speechfleet.whisper.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import org.jboss.logging.Logger;

/** Streams a model file over HTTP into a file, hashing it on the way and logging progress. */
final class ModelDownloader {

    private static final Logger LOG = Logger.getLogger(ModelDownloader.class);
    private static final long PROGRESS_EVERY_NANOS = Duration.ofSeconds(5).toNanos();

    private final HttpClient http;
    private final Duration timeout;

    ModelDownloader(Duration timeout) {
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
        this.timeout = timeout;
    }

    /**
     * Downloads {@code source} into {@code target}, replacing its content.
     *
     * @return the sha256 of what was written
     */
    String download(URI source, Path target) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(source).timeout(timeout).GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("GET " + source + " answered HTTP " + response.statusCode());
            }
            long expected = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            return copyHashing(body, target, source, expected);
        }
    }

    private String copyHashing(InputStream body, Path target, URI source, long expected) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[1 << 16];
        long written = 0;
        long lastLog = System.nanoTime();
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                out.write(buffer, 0, n);
                digest.update(buffer, 0, n);
                written += n;
                if (System.nanoTime() - lastLog >= PROGRESS_EVERY_NANOS) {
                    logProgress(source, written, expected);
                    lastLog = System.nanoTime();
                }
            }
        }
        if (expected >= 0 && written != expected) {
            throw new IOException("download of " + source + " ended after " + written + " of " + expected + " bytes");
        }
        LOG.infof("downloaded %s (%d bytes)", source, written);
        return Sha256.hex(digest);
    }

    private static void logProgress(URI source, long written, long expected) {
        if (expected > 0) {
            LOG.infof("downloading %s: %d%% (%d of %d MB)", source, written * 100 / expected, written >> 20,
                    expected >> 20);
        } else {
            LOG.infof("downloading %s: %d MB", source, written >> 20);
        }
    }
}
