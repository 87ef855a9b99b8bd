package dev.speechfleet.router.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.router.testing.OpusPackets;
import dev.speechfleet.client.SpeechLike;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What decoding one Opus socket costs the router: microseconds of CPU per 20 ms packet. */
@Tag("slow")
class OpusDecodeBenchmarkTest {

    @Test
    void decodingAMinuteOfOpusTakesAFractionOfItsDuration() {
        SpeechLike.Clip clip = SpeechLike.clip(16000, new int[] {40, 40, 40, 40, 40, 40}, 800, 5);
        List<byte[]> packets = OpusPackets.encode(clip.pcm(), 16000, 20);
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            FrameDecoder decoder = FrameDecoder.of(AudioEncoding.OPUS, 16000, 100);
            long decodedBytes = 0;
            long start = System.nanoTime();
            for (byte[] packet : packets) {
                decodedBytes += decoder.decode(packet).length;
            }
            double microsPerPacket = (System.nanoTime() - start) / 1000.0 / packets.size();
            best = Math.min(best, microsPerPacket);
            assertThat(decodedBytes).isEqualTo(packets.size() * 640L);
            System.out.printf(Locale.ROOT, "[opus-decode] round %d: %d packets (%.1f s of audio), %.1f us per 20 ms packet%n",
                    round, packets.size(), packets.size() / 50.0, microsPerPacket);
        }
        assertThat(best).as("decoding keeps up with real time with room for many sockets").isLessThan(2000);
    }
}
