package dev.speechfleet.whisper.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private volatile byte[] served = MODEL;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/models/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            if (!exchange.getRequestURI().getPath().equals("/models/ggml-custom.en.bin")) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, served.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(served);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private ModelStore store() {
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/models/");
        return new ModelStore(cache, base, Duration.ofSeconds(30));
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
                .isInstanceOf(ModelUnavailableException.class).hasMessageContaining("HTTP 404")
                .hasMessageContaining("whisper.model.base-url");
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).isEmpty();
        }
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
