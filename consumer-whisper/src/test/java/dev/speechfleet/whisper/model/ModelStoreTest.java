package dev.speechfleet.whisper.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model download and caching against a local HTTP server that serves model files like the public host. */
class ModelStoreTest {

    private static final byte[] MODEL = "ggml model bytes for the download test".repeat(5000)
            .getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path cache;

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** The Range header of each request, "" when it had none. */
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private final AtomicLong bodyBytesSent = new AtomicLong();
    private volatile byte[] served = MODEL;
    /** Whether the server answers a Range request with 206 and the rest of the file, as the model host does. */
    private volatile boolean honoursRange = true;
    /** When not negative: the next response breaks off after this many bytes of its body. */
    private volatile int breakOffAfter = -1;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/models/", this::serve);
        server.start();
    }

    /** Serves ggml-custom.en.bin like a static file host: whole, or from a byte offset on a Range request. */
    private void serve(HttpExchange exchange) throws IOException {
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        String range = exchange.getRequestHeaders().getFirst("Range");
        ranges.add(range == null ? "" : range);
        if (!exchange.getRequestURI().getPath().equals("/models/ggml-custom.en.bin")) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        byte[] file = served;
        int from = 0;
        exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
        if (range != null && honoursRange) {
            from = Integer.parseInt(range.replaceFirst("^bytes=(\\d+)-$", "$1"));
            if (from >= file.length) {
                exchange.getResponseHeaders().add("Content-Range", "bytes */" + file.length);
                exchange.sendResponseHeaders(416, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (file.length - 1) + "/"
                    + file.length);
            exchange.sendResponseHeaders(206, file.length - from);
        } else {
            exchange.sendResponseHeaders(200, file.length);
        }
        int length = file.length - from;
        int cut = breakOffAfter;
        breakOffAfter = -1;
        OutputStream body = exchange.getResponseBody();
        body.write(file, from, cut >= 0 ? Math.min(cut, length) : length);
        body.flush();
        bodyBytesSent.addAndGet(cut >= 0 ? Math.min(cut, length) : length);
        // Closing a body that is shorter than its Content-Length drops the connection, as a network failure does.
        exchange.close();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/models/");
    }

    private ModelStore store() {
        return new ModelStore(cache, base(), Duration.ofSeconds(30));
    }

    @Test
    void aNamedModelIsDownloadedVerifiedAndPlacedInTheCache() throws IOException {
        Path model = store().named("custom.en", Optional.of(sha256(MODEL)));

        assertThat(model).isEqualTo(cache.resolve("ggml-custom.en.bin"));
        assertThat(Files.readAllBytes(model)).isEqualTo(MODEL);
        assertThat(requests).containsExactly("GET /models/ggml-custom.en.bin");
    }

    @Test
    void aCachedModelIsReusedWithoutDownloadingAgain() {
        store().named("custom.en", Optional.of(sha256(MODEL)));

        Path again = store().named("custom.en", Optional.of(sha256(MODEL)));

        assertThat(again).exists();
        assertThat(requests).hasSize(1);
    }

    @Test
    void aChecksumMismatchIsRejectedAndLeavesNoFileInTheCache() throws IOException {
        served = "a different file".getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> store().named("custom.en", Optional.of(sha256(MODEL))))
                .isInstanceOf(ModelUnavailableException.class).hasMessageContaining("sha256")
                .hasMessageContaining("discarded");
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aCorruptCachedModelStopsStartUpAndSaysWhatToDo() throws IOException {
        Files.write(cache.resolve("ggml-custom.en.bin"), "truncated".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> store().named("custom.en", Optional.of(sha256(MODEL))))
                .isInstanceOf(ModelUnavailableException.class).hasMessageContaining("delete it");
        assertThat(requests).isEmpty();
    }

    @Test
    void aMissingRemoteModelIsReportedWithTheSettingsToCheck() throws IOException {
        assertThatThrownBy(() -> store().named("absent", Optional.of(sha256(MODEL))))
                .isInstanceOf(ModelUnavailableException.class).hasMessageContaining("HTTP 404 Not Found")
                .hasMessageNotContaining("null")
                .hasMessageContaining("whisper.model.base-url");
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anInterruptedDownloadResumesWhereItStopped() throws IOException {
        breakOffAfter = MODEL.length * 2 / 5;

        assertThatThrownBy(() -> store().named("custom.en", Optional.of(sha256(MODEL))))
                .isInstanceOf(ModelDownloadException.class).hasMessageContaining("kept")
                .hasMessageContaining("resumes").hasMessageNotContaining("null");
        Path partial = cache.resolve("ggml-custom.en.bin.part");
        assertThat(partial).hasSize(MODEL.length * 2 / 5);
        bodyBytesSent.set(0);

        Path model = store().named("custom.en", Optional.of(sha256(MODEL)));

        assertThat(Files.readAllBytes(model)).isEqualTo(MODEL);
        assertThat(ranges).containsExactly("", "bytes=" + MODEL.length * 2 / 5 + "-");
        assertThat(bodyBytesSent).as("bytes sent by the second request").hasValue(MODEL.length - MODEL.length * 2 / 5);
        assertThat(partial).doesNotExist();
    }

    @Test
    void aServerThatIgnoresRangeGivesAWholeNewDownload() throws IOException {
        Files.write(cache.resolve("ggml-custom.en.bin.part"), Arrays.copyOf(MODEL, 1000));
        honoursRange = false;

        Path model = store().named("custom.en", Optional.of(sha256(MODEL)));

        assertThat(ranges).containsExactly("bytes=1000-");
        assertThat(Files.readAllBytes(model)).isEqualTo(MODEL);
    }

    @Test
    void aResumedFileThatFailsItsChecksumIsDiscardedAndTheNextAttemptStartsOver() throws IOException {
        byte[] stale = "a partial file of another version of the model".getBytes(StandardCharsets.US_ASCII);
        Files.write(cache.resolve("ggml-custom.en.bin.part"), stale);

        assertThatThrownBy(() -> store().named("custom.en", Optional.of(sha256(MODEL))))
                .isInstanceOf(ModelDownloadException.class).hasMessageContaining("checksum mismatch")
                .hasMessageContaining("discarded");
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).isEmpty();
        }
        Path model = store().named("custom.en", Optional.of(sha256(MODEL)));

        assertThat(ranges).containsExactly("bytes=" + stale.length + "-", "");
        assertThat(Files.readAllBytes(model)).isEqualTo(MODEL);
    }

    @Test
    void aPartialFileLongerThanTheModelIsStartedOver() throws IOException {
        byte[] longer = Arrays.copyOf(MODEL, MODEL.length + 10);
        Files.write(cache.resolve("ggml-custom.en.bin.part"), longer);

        Path model = store().named("custom.en", Optional.of(sha256(MODEL)));

        assertThat(ranges).containsExactly("bytes=" + longer.length + "-", "");
        assertThat(Files.readAllBytes(model)).isEqualTo(MODEL);
    }

    @Test
    void aPartialFileThatIsAlreadyCompleteIsCheckedWithoutDownloadingAgain() throws IOException {
        Files.write(cache.resolve("ggml-custom.en.bin.part"), MODEL);

        Path model = store().named("custom.en", Optional.of(sha256(MODEL)));

        assertThat(ranges).containsExactly("bytes=" + MODEL.length + "-");
        assertThat(bodyBytesSent).hasValue(0);
        assertThat(Files.readAllBytes(model)).isEqualTo(MODEL);
    }

    @Test
    void progressShowsBytesOfTotalAndRate() {
        List<DownloadProgress> reports = new CopyOnWriteArrayList<>();
        breakOffAfter = 50_000;
        ModelStore store = new ModelStore(cache, base(), Duration.ofSeconds(30), Duration.ZERO, reports::add);
        assertThatThrownBy(() -> store.named("custom.en", Optional.of(sha256(MODEL))));
        reports.clear();

        store.named("custom.en", Optional.of(sha256(MODEL)));

        assertThat(reports).isNotEmpty().allSatisfy(p -> {
            assertThat(p.total()).isEqualTo(MODEL.length);
            assertThat(p.resumedFrom()).isEqualTo(50_000);
            assertThat(p.bytesPerSecond()).isPositive();
        });
        assertThat(reports).extracting(DownloadProgress::received).isSorted();
        DownloadProgress last = reports.getLast();
        assertThat(last.done()).isTrue();
        assertThat(last.received()).isEqualTo(MODEL.length);
        assertThat(last.describe()).matches("0\\.2 of 0\\.2 MB \\(100%\\), [0-9.]+ MB/s, resumed at 0\\.1 MB");
    }

    @Test
    void aHostThatDoesNotResolveIsNamedAsADnsFailure() {
        ModelStore store = new ModelStore(cache, URI.create("http://no-such-host.invalid/models/"),
                Duration.ofSeconds(30));

        assertThatThrownBy(() -> store.named("custom.en", Optional.of(sha256(MODEL))))
                .isInstanceOf(ModelDownloadException.class)
                .hasMessageContaining("the host name no-such-host.invalid cannot be resolved (DNS")
                .hasMessageNotContaining("null");
    }

    @Test
    void aRefusedConnectionIsNamed() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ModelStore store = new ModelStore(cache, URI.create("http://127.0.0.1:" + closedPort + "/models/"),
                Duration.ofSeconds(30));

        assertThatThrownBy(() -> store.named("custom.en", Optional.of(sha256(MODEL))))
                .isInstanceOf(ModelDownloadException.class)
                .hasMessageContaining("connection to 127.0.0.1:" + closedPort + " refused")
                .hasMessageNotContaining("null");
    }

    @Test
    void aNameWithoutPinnedChecksumNeedsOneConfigured() {
        assertThatThrownBy(() -> store().named("custom.en", Optional.empty()))
                .isInstanceOf(ModelUnavailableException.class).hasMessageContaining("whisper.model.sha256");
        assertThat(requests).isEmpty();
    }

    @Test
    void aPinnedNameNeedsNoConfiguredChecksum() {
        assertThat(PinnedModels.sha256("base.en")).contains(
                "a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002");
    }

    @Test
    void aMissingModelPathSaysWhatToSet() {
        assertThatThrownBy(() -> store().fromPath(cache.resolve("nowhere.bin"), Optional.empty()))
                .isInstanceOf(ModelUnavailableException.class).hasMessageContaining("whisper.model.path")
                .hasMessageContaining("whisper.model.name");
    }

    @Test
    void aModelPathIsCheckedAgainstAConfiguredChecksum() throws IOException {
        Path file = Files.write(cache.resolve("local.bin"), MODEL);

        assertThat(store().fromPath(file, Optional.of(sha256(MODEL)))).isEqualTo(file);
        assertThatThrownBy(() -> store().fromPath(file, Optional.of(sha256(new byte[1]))))
                .isInstanceOf(ModelUnavailableException.class).hasMessageContaining("corrupt");
    }

    @Test
    void aMalformedChecksumIsRefused() {
        assertThatThrownBy(() -> store().named("custom.en", Optional.of("abc")))
                .isInstanceOf(ModelUnavailableException.class).hasMessageContaining("64 hexadecimal digits");
    }

    private static String sha256(byte[] content) {
        return HexFormat.of().formatHex(Sha256.newDigest().digest(content));
    }
}
