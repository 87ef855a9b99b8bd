package dev.speechfleet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptResultCodecTest {

    @Test
    void everyFieldRoundTrips() {
        TranscriptResult r = TranscriptResult.builder().utterance("s", "dev", 2).transcript("turn left", 0.88)
                .providers("consensus", List.of("whisper", "deepgram")).agreement(0.75)
                .words(List.of(new TranscriptResult.ResultWord("turn", 0, 300, 0.9, "deepgram"),
                        new TranscriptResult.ResultWord("left", 300, 600, 0.86, "whisper")))
                .span(4000, 4600).latencyMs(850).costUsd(0.00012).mode(ChunkMode.CONSENSUS).producedAtMillis(123456)
                .build();

        assertThat(TranscriptResultCodec.decode(TranscriptResultCodec.encode(r))).isEqualTo(r);
    }

    @Test
    void errorResultRoundTrips() {
        TranscriptResult r = TranscriptResult.builder().utterance("s", "dev", 3)
                .failed(TranscriptResult.TRANSCRIPTION_FAILED, "chain exhausted").agreement(1)
                .providers("deepgram", List.of("deepgram")).span(0, 100).latencyMs(10).producedAtMillis(5).build();

        assertThat(TranscriptResultCodec.decode(TranscriptResultCodec.encode(r))).isEqualTo(r);
    }
}
