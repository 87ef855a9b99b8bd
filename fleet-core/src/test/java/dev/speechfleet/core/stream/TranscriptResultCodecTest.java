package dev.speechfleet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptResultCodecTest {

    @Test
    void everyFieldRoundTrips() {
        TranscriptResult r = new TranscriptResult("s:2", "s", "dev", 2, true, "turn left", 0.88, "consensus",
                List.of("whisper", "deepgram"), 0.75,
                List.of(new TranscriptResult.ResultWord("turn", 0, 300, 0.9, "deepgram"),
                        new TranscriptResult.ResultWord("left", 300, 600, 0.86, "whisper")),
                4000, 4600, 850, 0.00012, ChunkMode.CONSENSUS, "", "", 123456);

        assertThat(TranscriptResultCodec.decode(TranscriptResultCodec.encode(r))).isEqualTo(r);
    }

    @Test
    void errorResultRoundTrips() {
        TranscriptResult r = new TranscriptResult("s:3", "s", "dev", 3, false, "", 0, "deepgram", List.of("deepgram"),
                1, List.of(), 0, 100, 10, 0, ChunkMode.SINGLE, TranscriptResult.TRANSCRIPTION_FAILED, "chain exhausted",
                5);

        assertThat(TranscriptResultCodec.decode(TranscriptResultCodec.encode(r))).isEqualTo(r);
    }
}
