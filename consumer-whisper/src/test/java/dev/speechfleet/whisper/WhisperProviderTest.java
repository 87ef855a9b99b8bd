package dev.speechfleet.whisper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.FailureKind;
import dev.speechfleet.whisper.engine.DecodingSettings;
import dev.speechfleet.whisper.engine.WhisperEngine;
import dev.speechfleet.whisper.nativelib.NativeLibrary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The provider on the real native library with the vocab-only tiny.en model. */
class WhisperProviderTest {

    private static WhisperEngine engine;
    private static WhisperProvider provider;

    @BeforeAll
    static void load() {
        NativeLibrary.load(TestModels.nativeDir());
        engine = WhisperEngine.load(TestModels.model(TestModels.VOCAB_ONLY), "tiny.en", 1,
                new DecodingSettings(1, 1, false));
        provider = new WhisperProvider(() -> engine, "en", 0.5, new SimpleMeterRegistry());
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void eightKilohertzAudioIsResampledAndTranscribedNotRefused() throws TranscriptionException {
        Transcript transcript = provider.transcribe(chunk(tone(8000, 1500), 8000, "en-GB", List.of()));

        assertThat(transcript.text()).as("the vocab-only model writes nothing").isEmpty();
        assertThat(transcript.confidence()).isZero();
        assertThat(transcript.model()).isEqualTo("tiny.en");
        assertThat(transcript.language()).isEqualTo("en");
    }

    @Test
    void aRateWhisperDoesNotResampleIsRefusedForGood() {
        TranscriptionException refused = catchThrowableOfType(TranscriptionException.class,
                () -> provider.transcribe(chunk(tone(6000, 1500), 6000, "en", List.of())));

        assertThat(refused.kind()).isEqualTo(FailureKind.PERMANENT);
        assertThat(refused.getMessage()).contains("6000 Hz");
    }

    @Test
    void keytermsGoToWhisperCppAsTheInitialPrompt() throws TranscriptionException {
        assertThat(engine.decoding().params("en", WhisperProvider.prompt(List.of("Kitchen", "Hue lights")))
                .initialPrompt).isEqualTo("Kitchen, Hue lights");

        // whisper.cpp tokenises the prompt with the model's vocabulary: the native call must take it.
        Transcript transcript = provider.transcribe(chunk(tone(16000, 1200), 16000, "en",
                List.of("Kitchen", "Hue lights", "Kelly Byrne-Donoghue")));

        assertThat(transcript.text()).isEmpty();
        assertThat(transcript.flags()).isEmpty();
    }

    @Test
    void anEnglishOnlyModelServesEnglishAtEveryRateItResamples() {
        ProviderCapabilities capabilities = provider.capabilities();

        assertThat(capabilities.serves("en-US", 8000)).isTrue();
        assertThat(capabilities.serves("en", 44100)).isTrue();
        assertThat(capabilities.serves("de", 16000)).isFalse();
        assertThat(capabilities.serves("en", 6000)).isFalse();
    }

    static AudioChunk chunk(byte[] pcm, int sampleRate, String language, List<String> keyterms) {
        return AudioChunk.builder().utterance("s", "device-1", 1).audio(pcm).sampleRate(sampleRate)
                .durationMs(pcm.length * 1000L / 2 / sampleRate).language(language).policy("balanced")
                .routeReason("test").fallbackProviders(List.of("deepgram")).keyterms(keyterms).build();
    }

    /** A 440 Hz tone of {@code ms} at {@code rate}, 16-bit little-endian. */
    static byte[] tone(int rate, int ms) {
        int count = rate * ms / 1000;
        byte[] pcm = new byte[count * 2];
        for (int i = 0; i < count; i++) {
            short s = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / rate));
            pcm[2 * i] = (byte) s;
            pcm[2 * i + 1] = (byte) (s >> 8);
        }
        return pcm;
    }
}
