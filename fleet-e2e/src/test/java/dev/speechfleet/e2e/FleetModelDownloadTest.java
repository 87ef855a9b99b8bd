package dev.speechfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./fleet}'s model download as a user sees it, against a local model host
 * ({@code WHISPER_MODEL_BASE_URL}) that serves {@code ggml-tiny.en.bin} like a static file host, whole
 * or from an offset: progress lines with bytes of total and rate; stopping the fleet mid-download
 * (SIGTERM, which runs the same shutdown as Ctrl-C) keeps what arrived and the next run asks only for
 * the rest; a failed download names its cause. The bytes served are not tiny.en, so every complete
 * download ends in a checksum mismatch, which is reported as such.
 */
class FleetModelDownloadTest {

    private static final byte[] NOT_THE_MODEL = new byte[3_000_000];

    static {
        new Random(15).nextBytes(NOT_THE_MODEL);
    }

    @TempDir
    Path dir;

    private HttpServer host;
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    /** The host's pace; 0 = as fast as it can. */
    private volatile int bytesPerSecond;

    @BeforeEach
    void startHost() throws IOException {
        host = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        host.setExecutor(Executors.newCachedThreadPool());
        host.createContext("/models/", this::serve);
        host.start();
    }

    @AfterEach
    void stopHost() {
        host.stop(0);
    }

    @Test
    void aStoppedDownloadSaysWhatIsKeptAndTheNextRunResumesIt() throws Exception {
        bytesPerSecond = 600_000;
        Process first = command().start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> collect(first, lines));
        await().atMost(Duration.ofSeconds(60)).until(() -> lines.stream().anyMatch(l -> l.contains("downloading")));

        // SIGTERM through the handle: Process.destroy() would also close the output still to be read.
        assertThat(first.toHandle().destroy()).isTrue();

        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        reader.join(Duration.ofSeconds(10));
        Path partial = dir.resolve("home/.cache/speech-fleet/whisper/models/ggml-tiny.en.bin.part");
        long kept = Files.size(partial);
        assertThat(kept).isBetween(1L, (long) NOT_THE_MODEL.length - 1);
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .matches("  downloading model tiny\\.en: [0-9.]+ of 3\\.0 MB \\([0-9]+%\\), [0-9.]+ MB/s"));
        assertThat(String.join("\n", lines)).contains("fleet: download of model tiny.en stopped: ")
                .contains(" of 3.0 MB are kept in " + partial + ", and the same command resumes it");

        bytesPerSecond = 0;
        FleetProcess.Result second = FleetProcess.run(command());

        assertThat(ranges).last().isEqualTo("bytes=" + kept + "-");
        assertThat(second.output()).contains("downloading model tiny.en: 3.0 of 3.0 MB (100%)")
                .contains(String.format(Locale.ROOT, "resumed at %.1f MB", kept / 1e6))
                .contains("whisper: model tiny.en could not be downloaded: checksum mismatch: the file has sha256 ")
                .doesNotContain("null");
        assertThat(second.exitCode()).isEqualTo(3);
        assertThat(partial).as("a file that failed its checksum is not kept").doesNotExist();
    }

    @Test
    void aModelTheHostDoesNotHaveIsReportedWithItsHttpStatus() throws Exception {
        FleetProcess.Result result = FleetProcess.run(command("--model", "base.en"));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).contains("whisper: model base.en could not be downloaded: GET " + base()
                + "/ggml-base.en.bin answered HTTP 404 Not Found").doesNotContain("null");
    }

    private ProcessBuilder command(String... args) throws IOException {
        return FleetProcess.command(dir, Map.of("WHISPER_MODEL_BASE_URL", base()), args);
    }

    private String base() {
        return "http://127.0.0.1:" + host.getAddress().getPort() + "/models";
    }

    private void serve(HttpExchange exchange) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (!exchange.getRequestURI().getPath().equals("/models/ggml-tiny.en.bin")) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        ranges.add(range == null ? "" : range);
        int from = range == null ? 0 : Integer.parseInt(range.replaceFirst("^bytes=(\\d+)-$", "$1"));
        if (range != null) {
            exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (NOT_THE_MODEL.length - 1)
                    + "/" + NOT_THE_MODEL.length);
        }
        exchange.sendResponseHeaders(range == null ? 200 : 206, NOT_THE_MODEL.length - from);
        try (OutputStream body = exchange.getResponseBody()) {
            int step = bytesPerSecond > 0 ? bytesPerSecond / 10 : NOT_THE_MODEL.length;
            for (int at = from; at < NOT_THE_MODEL.length; at += step) {
                body.write(NOT_THE_MODEL, at, Math.min(step, NOT_THE_MODEL.length - at));
                body.flush();
                if (bytesPerSecond > 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // the host's pace, not a wait for an outcome
                }
            }
        } catch (IOException clientGone) {
            // The fleet was stopped mid-download: that is the point of the test.
        }
    }

    private static void collect(Process process, List<String> lines) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(output ended: " + e + ")");
        }
    }
}
