package dev.speechfleet.core.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A process told to serve other providers neither creates nor runs a provider bean it has. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(WorkerLauncherSelectionTest.OtherProviders.class)
class WorkerLauncherSelectionTest {

    public static class OtherProviders implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fleet.worker.providers", "whisper,deepgram");
        }
    }

    @Inject
    WorkerLauncher launcher;

    @Inject
    ProviderSelection selection;

    @Test
    void anUnselectedProviderGetsNoWorkerAndIsNeverCreated() {
        assertThat(launcher.worker("launchtest")).isEmpty();
        assertThat(selection.serves("launchtest")).isFalse();
        assertThat(selection.serves("deepgram")).isTrue();
        assertThat(LaunchTestProvider.CREATED).hasValue(0);
    }
}
