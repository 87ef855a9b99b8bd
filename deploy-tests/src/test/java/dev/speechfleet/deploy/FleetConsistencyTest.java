package dev.speechfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Both overlays, rendered, agree with the code in every name, port, path, variable and key they use. */
class FleetConsistencyTest {

    private final CodeFacts code = CodeFacts.ofRepository();

    @Test
    void theDevOverlayAgreesWithTheCode() {
        List<HasMetadata> dev = render("dev");

        assertThat(FleetConsistency.problems(code, dev, Set.of())).isEmpty();
        assertThat(dev).filteredOn(StatefulSet.class::isInstance).as("dev's own Redis").hasSize(1);
    }

    @Test
    void theProdOverlayAgreesWithTheCodeGivenTheSecretsOperatorsCreate() {
        Set<String> external = Overlays.secretsCreatedByOperators(code);
        List<HasMetadata> prod = render("prod");

        assertThat(external).as("secrets docs/operations.md has operators create")
                .contains("fleet-redis", "fleet-admin", "fleet-provider-keys");
        assertThat(FleetConsistency.problems(code, prod, external)).isEmpty();
        assertThat(prod).filteredOn(StatefulSet.class::isInstance).as("prod uses an external Redis").isEmpty();
    }

    @Test
    void theCodeFactsTheChecksRelyOnAreReadFromTheCode() {
        assertThat(code.providerByModule()).containsEntry("consumer-whisper", "whisper")
                .containsEntry("consumer-deepgram", "deepgram").containsEntry("consumer-assemblyai", "assemblyai")
                .containsEntry("consumer-parakeet", "parakeet").hasSize(4);
        assertThat(code.keyForEnv("consumer-whisper", "FLEET_WORKER_CONSUMER_NAME")).hasValue("fleet.worker.consumer-name");
        assertThat(code.keyForEnv("consumer-whisper", "WHISPER_MODEL_CACHE_DIR")).hasValue("whisper.model.cache-dir");
        assertThat(code.keyForEnv("router-service", "REDIS_URL")).hasValue("${REDIS_URL}");
        assertThat(code.keyForEnv("router-service", "QUARKUS_REDIS_CLIENT_TYPE")).hasValue("quarkus.redis.client-type");
        assertThat(code.keyForEnv("router-service", "WHISPER_MODEL_NAME")).as("another module's key").isEmpty();
        assertThat(code.defaultOf("consumer-deepgram", "fleet.worker.shutdown-grace")).hasValue("30s");
        assertThat(code.httpPort("results-aggregator")).isEqualTo(8085);
        assertThat(code.healthPaths("router-service")).contains("/q/health/ready");
    }

    private List<HasMetadata> render(String overlay) {
        return Overlays.render(Overlays.k8s(code).resolve("overlays").resolve(overlay));
    }
}
