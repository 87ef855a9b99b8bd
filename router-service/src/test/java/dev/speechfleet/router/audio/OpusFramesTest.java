package dev.speechfleet.router.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.speechfleet.router.protocol.ProtocolError;
import dev.speechfleet.router.protocol.ProtocolViolation;
import dev.speechfleet.router.testing.OpusPackets;
import dev.speechfleet.client.Pcm;
import dev.speechfleet.client.SpeechLike;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Opus packets to PCM: lengths, concealment of lost packets, corrupt and hostile packets. */
class OpusFramesTest {

    private static final int RATE = 16000;
    private static final byte[] SPEECH = SpeechLike.clip(RATE, new int[] {4}, 200, 3).pcm();

    private static FrameDecoder decoder() {
        return FrameDecoder.of(AudioEncoding.OPUS, RATE, 100);
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 40, 60})
    void eachPacketBecomesItsDurationOfPcm(int frameMs) {
        FrameDecoder decoder = decoder();

        for (byte[] packet : OpusPackets.encode(SPEECH, RATE, frameMs)) {
            assertThat(decoder.decode(packet)).hasSize(RATE * frameMs / 1000 * 2);
        }
    }

    @Test
    void theDecodedSpeechKeepsItsLoudness() {
        FrameDecoder decoder = decoder();
        byte[] decoded = Pcm.concat(OpusPackets.encode(SPEECH, RATE, 20).stream().map(decoder::decode)
                .toArray(byte[][]::new));

        assertThat(rms(decoded)).isBetween(rms(SPEECH) * 0.7, rms(SPEECH) * 1.3);
    }

    @Test
    void anEmptyMessageIsConcealedForThePreviousPacketsDuration() {
        FrameDecoder decoder = decoder();
        List<byte[]> packets = OpusPackets.encode(SPEECH, RATE, 40);
        decoder.decode(packets.get(5));
        decoder.decode(packets.get(6));

        byte[] concealed = decoder.decode(new byte[0]);

        assertThat(concealed).hasSize(RATE * 40 / 1000 * 2);
        assertThat(rms(concealed)).as("concealment continues the voice, it is not silence").isGreaterThan(50);
    }

    @Test
    void anEmptyMessageBeforeAnyPacketIsConcealedAs20Ms() {
        assertThat(decoder().decode(new byte[0])).hasSize(RATE * 20 / 1000 * 2);
    }

    @Test
    void aPacketWithAMalformedTableOfContentsIsAnInvalidPacket() {
        // Code 3 (an arbitrary number of frames) without its frame-count byte.
        assertThatThrownBy(() -> decoder().decode(new byte[] {(byte) 0x4b}))
                .isInstanceOfSatisfying(ProtocolViolation.class,
                        e -> assertThat(e.error()).isEqualTo(ProtocolError.INVALID_PACKET));
    }

    @Test
    void aTruncatedTwoFramePacketIsAnInvalidPacket() {
        // Code 2 (two frames of different sizes) whose first frame's length runs past the end.
        assertThatThrownBy(() -> decoder().decode(new byte[] {(byte) 0x4a, (byte) 0xfc}))
                .isInstanceOfSatisfying(ProtocolViolation.class,
                        e -> assertThat(e.error()).isEqualTo(ProtocolError.INVALID_PACKET));
    }

    @Test
    void decodingGoesOnAfterAnInvalidPacket() {
        FrameDecoder decoder = decoder();
        List<byte[]> packets = OpusPackets.encode(SPEECH, RATE, 20);
        decoder.decode(packets.get(0));

        assertThatThrownBy(() -> decoder.decode(new byte[] {(byte) 0x4b})).isInstanceOf(ProtocolViolation.class);

        assertThat(decoder.decode(packets.get(1))).hasSize(640);
    }

    @Test
    void aPacketLongerThanTheFrameLimitIsTooLarge() {
        FrameDecoder decoder = FrameDecoder.of(AudioEncoding.OPUS, RATE, 40);
        byte[] sixtyMs = OpusPackets.encode(SPEECH, RATE, 60).getFirst();

        assertThatThrownBy(() -> decoder.decode(sixtyMs)).isInstanceOfSatisfying(ProtocolViolation.class,
                e -> assertThat(e.error()).isEqualTo(ProtocolError.FRAME_TOO_LARGE));
    }

    @Test
    void randomBytesAreDecodedOrRefusedButNeverBreakTheDecoder() {
        FrameDecoder decoder = decoder();
        Random random = new Random(12);
        int refused = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] junk = new byte[1 + random.nextInt(300)];
            random.nextBytes(junk);
            try {
                assertThat(decoder.decode(junk).length).isLessThanOrEqualTo(RATE / 10 * 2);
            } catch (ProtocolViolation e) {
                assertThat(e.error()).isIn(ProtocolError.INVALID_PACKET, ProtocolError.FRAME_TOO_LARGE);
                refused++;
            }
        }
        assertThat(refused).as("some junk is refused").isPositive();
        assertThat(decoder.decode(OpusPackets.encode(SPEECH, RATE, 20).getFirst())).hasSize(640);
    }

    static double rms(byte[] pcm) {
        short[] s = Pcm.samples(pcm);
        double sum = 0;
        for (short v : s) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum / Math.max(1, s.length));
    }
}
