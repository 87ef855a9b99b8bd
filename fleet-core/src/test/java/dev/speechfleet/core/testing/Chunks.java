package dev.speechfleet.core.testing;

import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.ChunkMode;
import java.util.List;

/** Audio chunks for tests. */
public final class Chunks {

    private Chunks() {
    }

    /** A 200 ms chunk of 16 kHz PCM whose bytes run through every value 0..255 (binary-safety). */
    public static AudioChunk chunk(String sessionId, long seq, List<String> fallbacks) {
        return chunk(sessionId, seq, fallbacks, "en", List.of());
    }

    /** The same chunk in {@code language}, with the session's {@code keyterms}. */
    public static AudioChunk chunk(String sessionId, long seq, List<String> fallbacks, String language,
            List<String> keyterms) {
        byte[] pcm = new byte[6400];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (byte) i;
        }
        return AudioChunk.builder().utterance(sessionId, "device-1", seq).audio(pcm).sampleRate(16000)
                .startMs(seq * 1000).durationMs(200).language(language).policy("balanced").routeReason("test")
                .fallbackProviders(fallbacks).enqueuedAtMillis(System.currentTimeMillis())
                .traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").keyterms(keyterms).build();
    }
}
