package dev.speechfleet.router.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.speechfleet.router.protocol.ProtocolError;
import dev.speechfleet.router.protocol.ProtocolViolation;
import dev.speechfleet.client.Pcm;
import org.junit.jupiter.api.Test;

/** {@code pcm_s16le} frames pass through unchanged after their checks. */
class PcmFramesTest {

    private final FrameDecoder decoder = FrameDecoder.of(AudioEncoding.PCM_S16LE, 16000, 100);

    @Test
    void aFrameIsItsOwnPcm() {
        byte[] frame = Pcm.tone(16000, 40, 8000);

        assertThat(decoder.decode(frame)).isSameAs(frame);
    }

    @Test
    void halfASampleIsAnInvalidFrame() {
        assertThatThrownBy(() -> decoder.decode(new byte[641])).isInstanceOfSatisfying(ProtocolViolation.class,
                e -> assertThat(e.error()).isEqualTo(ProtocolError.INVALID_FRAME));
    }

    @Test
    void aFrameOverTheLimitIsTooLarge() {
        assertThatThrownBy(() -> decoder.decode(Pcm.tone(16000, 120, 8000)))
                .isInstanceOfSatisfying(ProtocolViolation.class,
                        e -> assertThat(e.error()).isEqualTo(ProtocolError.FRAME_TOO_LARGE));
    }

    @Test
    void anEmptyMessageIsSilenceOfThePreviousFramesLength() {
        decoder.decode(Pcm.tone(16000, 60, 8000));

        byte[] lost = decoder.decode(new byte[0]);

        assertThat(lost).hasSize(1920).containsOnly((byte) 0);
    }
}
