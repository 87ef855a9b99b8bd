package dev.speechfleet.whisper.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecodingSettingsTest {

    private static final int SECOND = 16_000;

    @Test
    void theFullWindowLeavesTheEncoderContextToWhisper() {
        DecodingSettings full = new DecodingSettings(1, 1, false);

        assertThat(full.params("en", null, 3 * SECOND).audioCtx).isZero();
        assertThat(full.params("en").audioCtx).isZero();
    }

    @Test
    void anUtteranceSizedContextCoversTheAudioAtFiftyPositionsASecond() {
        DecodingSettings sized = new DecodingSettings(1, 1, false, 256);

        assertThat(sized.params("en", null, 12 * SECOND).audioCtx).isEqualTo(600);
        // 10.01 s needs a 501st position, or its last 10 ms would not be encoded.
        assertThat(sized.params("en", null, 10 * SECOND + 160).audioCtx).isEqualTo(501);
    }

    @Test
    void aShortUtteranceGetsTheFloor() {
        DecodingSettings sized = new DecodingSettings(1, 1, false, 256);

        assertThat(sized.params("en", null, (int) (2.5 * SECOND)).audioCtx).isEqualTo(256);
    }

    @Test
    void theContextNeverExceedsTheThirtySecondWindow() {
        DecodingSettings sized = new DecodingSettings(1, 1, false, 256);

        assertThat(sized.params("en", null, 45 * SECOND).audioCtx).isEqualTo(1500);
    }

    @Test
    void aFloorOutsideTheWindowIsRefused() {
        assertThatThrownBy(() -> new DecodingSettings(1, 1, false, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecodingSettings(1, 1, false, 1501)).isInstanceOf(IllegalArgumentException.class);
    }
}
