package dev.speechfleet.whisper.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.speechfleet.whisper.TestModels;
import dev.speechfleet.whisper.nativelib.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhisperEngineLoadTest {

    @TempDir
    Path work;

    @BeforeAll
    static void loadLibrary() {
        NativeLibrary.load(TestModels.nativeDir());
    }

    @Test
    void aFileThatIsNoWhisperModelIsRefusedWithoutHarm() throws IOException {
        Path notAModel = Files.writeString(work.resolve("ggml-fake.bin"), "this is not a ggml model");

        assertThatThrownBy(() -> WhisperEngine.load(notAModel, "fake", 1, new DecodingSettings(1, 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(notAModel.toString());
    }

    @Test
    void theEngineReportsItsModelStatesAndLanguageAbility() {
        try (WhisperEngine engine = WhisperEngine.load(TestModels.model(TestModels.VOCAB_ONLY), "tiny.en", 2,
                new DecodingSettings(1, 1))) {
            assertThat(engine.stateCount()).isEqualTo(2);
            assertThat(engine.multilingual()).isFalse();
            assertThat(engine.isOpen()).isTrue();
        }
    }

    @Test
    void aClosedEngineRefusesWork() {
        WhisperEngine engine = WhisperEngine.load(TestModels.model(TestModels.VOCAB_ONLY), "tiny.en", 1,
                new DecodingSettings(1, 1));
        engine.close();

        assertThat(engine.isOpen()).isFalse();
        assertThatThrownBy(() -> engine.transcribe(new float[Pcm16.MIN_SAMPLES], "en"))
                .isInstanceOf(WhisperFailure.class).hasMessageContaining("closed");
    }
}
