package dev.speechfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consistency check fails for manifests that disagree with the code: each test copies
 * deploy/k8s, breaks one thing in one file, renders the dev overlay and expects the problem named.
 */
class BrokenManifestTest {

    private final CodeFacts code = CodeFacts.ofRepository();

    @TempDir
    Path copy;

    @Test
    void aStreamTheCodeDoesNotUseIsReported() {
        assertThat(problemsAfter("base/consumer-whisper.yaml", "stream: audio:stream:whisper",
                "stream: audio:stream:whisper-v2"))
                .anySatisfy(p -> assertThat(p).contains("stream audio:stream:whisper-v2 is not a stream the code uses"))
                .anySatisfy(p -> assertThat(p).contains("names stream audio:stream:whisper-v2, which the code does not use"));
    }

    @Test
    void aConsumerGroupTheCodeDoesNotReadIsReported() {
        assertThat(problemsAfter("base/consumer-deepgram.yaml", "consumerGroup: deepgram_workers",
                "consumerGroup: deepgram-workers"))
                .anySatisfy(p -> assertThat(p).contains("consumer group deepgram-workers is not the group"));
    }

    @Test
    void anEnvironmentVariableNoKeyReadsIsReported() {
        assertThat(problemsAfter("base/consumer-whisper.yaml", "name: WHISPER_THREADS_PER_STATE",
                "name: WHISPER_THREADS_PER_SLOT"))
                .containsExactly("consumer-whisper: environment variable WHISPER_THREADS_PER_SLOT sets no configuration "
                        + "key the module reads (mappings, application.properties, Quarkus)");
    }

    @Test
    void aPortOtherThanTheModulesHttpPortIsReported() {
        assertThat(problemsAfter("base/aggregator.yaml", "containerPort: 8085", "containerPort: 8080"))
                .anySatisfy(p -> assertThat(p).contains("results-aggregator: container port 'http' must be 8085"));
    }

    @Test
    void aProbeOnAPathTheServiceDoesNotServeIsReported() {
        assertThat(problemsAfter("base/router.yaml", "path: /q/health/ready", "path: /healthz"))
                .anySatisfy(p -> assertThat(p).contains("probe path /healthz is not served"));
    }

    @Test
    void aGracePeriodShorterThanTheWorkersDrainIsReported() {
        assertThat(problemsAfter("base/consumer-parakeet.yaml", "terminationGracePeriodSeconds: 60",
                "terminationGracePeriodSeconds: 30"))
                .anySatisfy(p -> assertThat(p).contains("consumer-parakeet: terminationGracePeriodSeconds 30 must be at least 45"));
    }

    @Test
    void aCloudProviderScaledToZeroIsReported() {
        assertThat(problemsAfter("base/consumer-assemblyai.yaml", "minReplicaCount: 1", "minReplicaCount: 0"))
                .anySatisfy(p -> assertThat(p).contains("scales cloud provider assemblyai to zero"));
    }

    private List<String> problemsAfter(String file, String from, String to) {
        Path k8s = Overlays.k8s(code);
        copyTree(k8s, copy);
        Path target = copy.resolve(file);
        String text = CodeFacts.read(target);
        assertThat(text).as("%s contains the text the test breaks", file).contains(from);
        write(target, text.replace(from, to));
        List<HasMetadata> rendered = Overlays.render(copy.resolve("overlays/dev"));
        return FleetConsistency.problems(code, rendered, Set.of());
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
