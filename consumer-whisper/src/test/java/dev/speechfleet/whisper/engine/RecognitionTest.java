package dev.speechfleet.whisper.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecognitionTest {

    @Test
    void segmentsAreJoinedIntoOneText() {
        Recognition recognition = new Recognition(List.of(new Segment(0, 1200, " Turn on the"),
                new Segment(1200, 2000, " kitchen lights.")), 0, 0);

        assertThat(recognition.text()).isEqualTo("Turn on the kitchen lights.");
    }

    @Test
    void nonSpeechAnnotationsAreNotText() {
        Recognition recognition = new Recognition(List.of(new Segment(0, 1000, " [BLANK_AUDIO]"),
                new Segment(1000, 2000, " (music)"), new Segment(2000, 3000, " yes")), 0, 0);

        assertThat(recognition.text()).isEqualTo("yes");
    }
}
