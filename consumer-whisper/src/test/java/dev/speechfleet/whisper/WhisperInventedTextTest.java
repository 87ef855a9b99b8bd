package dev.speechfleet.whisper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.whisper.engine.DecodingSettings;
import dev.speechfleet.whisper.engine.Pcm16;
import dev.speechfleet.whisper.engine.WhisperEngine;
import dev.speechfleet.whisper.nativelib.NativeLibrary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * On the random-weight tiny.en model, decoding without timestamps as the service does, Whisper does
 * what it does on noise: it writes one word in a loop up to its token limit. The guard withholds it;
 * without the guard the loop is what the device would get. Each call decodes to the token limit
 * (about a minute on two loaded cores): hence slow.
 */
@Tag("slow")
class WhisperInventedTextTest {

    private static WhisperEngine engine;

    @BeforeAll
    static void load() {
        NativeLibrary.load(TestModels.nativeDir());
        engine = WhisperEngine.load(TestModels.model(TestModels.RANDOM_TINY_EN), "rand-tiny.en", 1,
                new DecodingSettings(Math.max(1, Runtime.getRuntime().availableProcessors()), 1, false));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void theLoopWhisperWritesIsWithheldWithAFlagAndTheKeytermsPromptChangesWhatItWrites() throws Exception {
        byte[] tone = WhisperProviderTest.tone(16000, 1100);
        WhisperProvider unguarded = new WhisperProvider(() -> engine, "en", 0.5, Optional.empty(),
                new SimpleMeterRegistry());
        WhisperProvider guarded = new WhisperProvider(() -> engine, "en", 0.5, new SimpleMeterRegistry());

        Transcript invented = unguarded.transcribe(WhisperProviderTest.chunk(tone, 16000, "en", List.of()));
        Transcript withheld = guarded.transcribe(WhisperProviderTest.chunk(tone, 16000, "en", List.of()));
        String prompted = engine.transcribe(Pcm16.toSamples(tone), "en", "Kitchen, Hue lights").text();

        assertThat(invented.text()).as("what Whisper wrote").isNotBlank();
        assertThat(HallucinationGuard.loops(HallucinationGuard.normalise(invented.text()).split(" "))
                || HallucinationGuard.compressesLikeALoop(invented.text())).isTrue();
        assertThat(withheld.text()).isEmpty();
        assertThat(withheld.confidence()).isZero();
        assertThat(withheld.flags()).containsExactly(HallucinationGuard.REPETITION);
        assertThat(prompted).as("the initial prompt conditions the decoder").isNotEqualTo(invented.text());
    }
}
