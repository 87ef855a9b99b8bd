package dev.speechfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speechfleet.core.redis.EmbeddedRedis;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images {@code -Pimages} built (each service's {@code target/jib-image.tar}), read from their
 * archives: a non-root user, the Quarkus entry point in its working directory, the port the module
 * serves and the Deployment declares, a Java runtime on the PATH, no model weights, and Whisper's
 * writable directories where the manifests mount volumes. Then one image is started as it would be in
 * a pod (its files as root file system, its user, its entry point's JVM) against a real Redis.
 */
@Tag("images")
class ImageConfigTest {

    private static final long MAX_FILE_BYTES = 40L << 20;
    private final CodeFacts code = CodeFacts.ofRepository();

    static Stream<String> modules() {
        return CodeFacts.SERVICE_MODULES.stream();
    }

    @ParameterizedTest
    @MethodSource("modules")
    void theImageRunsTheServiceAsANonRootUserOnItsPort(String module) throws IOException {
        ImageArchive image = ImageArchive.read(archive(module));
        JsonNode config = image.config();

        assertThat(image.manifest().path("RepoTags").get(0).asText()).startsWith("speechfleet/" + module + ":")
                .as("the image the base manifests run").isEqualTo(deployment(module).getSpec().getTemplate().getSpec()
                        .getContainers().getFirst().getImage());
        assertThat(config.path("User").asText()).isEqualTo("1001:1001");
        assertThat(config.path("WorkingDir").asText()).isEqualTo("/deployments");
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertThat(entrypoint).startsWith("java").endsWith("-jar", "quarkus-run.jar")
                .contains("--enable-native-access=ALL-UNNAMED");
        List<String> ports = new ArrayList<>();
        config.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        assertThat(ports).containsExactly(code.httpPort(module) + "/tcp");
        assertThat(declaredPort(module)).as("containerPort of the Deployment").isEqualTo(code.httpPort(module));

        List<ImageArchive.LayerFile> files = image.layerFiles(false);
        assertThat(files).extracting(ImageArchive.LayerFile::path).contains("deployments/quarkus-run.jar");
        String path = image.environment().get("PATH");
        assertThat(files).as("an executable java on the PATH %s", path).anySatisfy(f -> {
            assertThat(Stream.of(path.split(":")).map(d -> d.substring(1) + "/java")).contains(f.path());
            assertThat(f.mode() & 0111).isNotZero();
        });
        String javaHome = image.environment().getOrDefault("JAVA_HOME", "/opt/java/openjdk").substring(1) + "/";
        assertThat(files).filteredOn(f -> !f.path().startsWith(javaHome))
                .as("no model weights, nothing that large outside the Java runtime").allSatisfy(f -> {
                    assertThat(f.size()).as(f.path()).isLessThan(MAX_FILE_BYTES);
                    assertThat(f.path()).doesNotContain("ggml-").doesNotEndWith(".bin");
                });
    }

    @Test
    void whispersWritableDirectoriesAreTheVolumesTheManifestsMount() throws IOException {
        Map<String, String> env = ImageArchive.read(archive("consumer-whisper")).environment();
        Container whisper = deployment("consumer-whisper").getSpec().getTemplate().getSpec().getContainers().getFirst();
        Map<String, String> mounts = new java.util.HashMap<>();
        whisper.getVolumeMounts().forEach(m -> mounts.put(m.getName(), m.getMountPath()));

        assertThat(env).containsEntry("WHISPER_MODEL_CACHE_DIR", mounts.get("models"))
                .containsEntry("WHISPER_NATIVE_DIR", mounts.get("native"));
        assertThat(whisper.getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/tmp");
    }

    @Test
    void theRouterImageStartsAsItsUserAndIsReady(@TempDir Path root) throws Exception {
        assumeThat(System.getProperty("user.name")).as("extracting an image and chroot need root").isEqualTo("root");
        assumeThat(Path.of("/usr/sbin/chroot")).as("chroot").isExecutable();
        ImageArchive image = ImageArchive.read(archive("router-service"));
        image.extract(root);
        // The image's root directory, as a container runtime makes it (the test's temporary directory is private).
        Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(root.resolve("proc"));
        run("mount", "-t", "proc", "proc", root.resolve("proc").toString());
        int port = EmbeddedRedis.freePort();
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            List<String> command = new ArrayList<>(List.of("/usr/sbin/chroot", "--userspec="
                    + image.config().path("User").asText(), root.toString()));
            image.config().path("Entrypoint").forEach(e -> command.add(e.asText()));
            // chroot cannot set the working directory: the entry point's jar, relative to WorkingDir, made absolute.
            command.set(command.size() - 1, image.config().path("WorkingDir").asText() + "/quarkus-run.jar");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(root.resolve("tmp/router.log").toFile());
            builder.environment().clear();
            builder.environment().putAll(image.environment());
            builder.environment().putAll(Map.of("REDIS_URL", redis.url(), "QUARKUS_HTTP_PORT", Integer.toString(port)));
            Process router = builder.start();
            try {
                assertThat(readyWithin(port, Duration.ofSeconds(120), router))
                        .as("router started from its image answers /q/health/ready; its log:%n%s", log(root)).isTrue();
                assertThat(Files.readAllLines(Path.of("/proc", Long.toString(router.pid()), "status")))
                        .as("user ids of the service's process (real, effective, saved, file system)")
                        .contains("Uid:\t1001\t1001\t1001\t1001");
            } finally {
                router.destroy();
                router.waitFor(20, TimeUnit.SECONDS);
                router.destroyForcibly();
            }
        } finally {
            run("umount", root.resolve("proc").toString());
        }
    }

    private Path archive(String module) {
        Path archive = code.root().resolve(module).resolve("target/jib-image.tar");
        assertThat(archive).as("built by: ./mvnw -B package -Pimages (see docs/operations.md)").isRegularFile();
        return archive;
    }

    private int declaredPort(String module) {
        return deployment(module).getSpec().getTemplate().getSpec().getContainers().getFirst().getPorts().stream()
                .filter(p -> "http".equals(p.getName())).findFirst().orElseThrow().getContainerPort();
    }

    private Deployment deployment(String module) {
        List<HasMetadata> dev = Overlays.render(Overlays.k8s(code).resolve("overlays/dev"));
        return dev.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .filter(d -> d.getMetadata().getName().equals(module)).findFirst().orElseThrow();
    }

    /** Waits for {@code /q/health/ready} to answer UP; false when the process ended or the time passed. */
    private static boolean readyWithin(int port, Duration limit, Process process) {
        HttpClient http = HttpClient.newHttpClient();
        try {
            org.awaitility.Awaitility.await().atMost(limit).pollInterval(Duration.ofMillis(500))
                    .until(() -> !process.isAlive() || ready(http, port));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
        return process.isAlive();
    }

    private static boolean ready(HttpClient http, int port) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        }
    }

    private static String log(Path root) {
        try {
            return Files.readString(root.resolve("tmp/router.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
