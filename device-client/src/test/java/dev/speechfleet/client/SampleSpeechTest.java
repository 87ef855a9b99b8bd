package dev.speechfleet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SampleSpeechTest {

    @Test
    void theSampleIsItsFourSentencesWithTheSpokenPauses() {
        int speechBytes = SampleSpeech.sentences().stream().mapToInt(s -> SampleSpeech.sentence(s).pcm().length).sum();

        PcmAudio sample = SampleSpeech.recording();

        assertThat(SampleSpeech.sentences()).containsExactly("turn on the kitchen lights", "what is the weather today",
                "set a timer for ten minutes", "play some quiet music");
        assertThat(sample.sampleRate()).isEqualTo(16000);
        assertThat(sample.pcm()).hasSize((300 + 4 * 800) * 32 + speechBytes);
        assertThat(speechBytes / 32).as("ms of speech: a second or two per sentence").isBetween(4000, 10_000);
    }

    @Test
    void aSentenceTheSampleDoesNotHaveIsNamedWithTheOnesItHas() {
        assertThatThrownBy(() -> SampleSpeech.sentence("open the pod bay doors"))
                .hasMessageContaining("open the pod bay doors").hasMessageContaining("play some quiet music");
    }
}
