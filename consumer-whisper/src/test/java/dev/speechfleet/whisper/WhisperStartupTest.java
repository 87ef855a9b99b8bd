package dev.speechfleet.whisper;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service refuses to start without its model, and says which property to set. */
@QuarkusMainTest
@TestProfile(WhisperStartupTest.MissingModel.class)
class WhisperStartupTest {

    public static class MissingModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("whisper.model.path", "target/no-such-model/ggml-missing.bin");
        }
    }

    @Test
    @Launch(value = {}, exitCode = 1)
    void aMissingModelStopsStartUpWithWhatToSet(LaunchResult result) {
        assertThat(result.getErrorOutput() + result.getOutput()).contains("ggml-missing.bin")
                .contains("set whisper.model.path to a ggml model file");
    }
}
