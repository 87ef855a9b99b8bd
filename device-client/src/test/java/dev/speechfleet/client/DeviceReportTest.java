package dev.speechfleet.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceReportTest {

    private static DeviceReport.Result transcript(long seq) {
        return new DeviceReport.Result(seq, new ServerMessage.Transcript("1-" + seq, seq, "t", 0.9, "p", 0, 1));
    }

    private static DeviceReport report(List<DeviceReport.Result> results, int close) {
        return new DeviceReport("d", "s", results, 0, List.of(), 0, close, List.of());
    }

    @Test
    void inOrderWithoutGapsAndNormalCloseIsHealthy() {
        DeviceReport r = report(List.of(transcript(0), transcript(1),
                new DeviceReport.Result(2, new ServerMessage.Error("transcription_failed", "x", 2L))), 1000);

        assertThat(r.healthy()).isTrue();
        assertThat(r.transcripts()).isEqualTo(2);
    }

    @Test
    void outOfOrderIsNotHealthy() {
        DeviceReport r = report(List.of(transcript(1), transcript(0)), 1000);

        assertThat(r.inOrder()).isFalse();
        assertThat(r.healthy()).isFalse();
    }

    @Test
    void missingSeqsAreGaps() {
        assertThat(report(List.of(transcript(0), transcript(3)), 1000).gaps()).containsExactly(1L, 2L);
    }

    @Test
    void abnormalCloseIsNotHealthy() {
        assertThat(report(List.of(transcript(0)), 4408).healthy()).isFalse();
    }

    @Test
    void transcriptsWithoutWordsAreCountedAndPrintedAsNothingRecognised() {
        ServerMessage.Transcript empty = new ServerMessage.Transcript("1-1", 1, " ", 0.0, "whisper", 0, 1);
        DeviceReport r = report(List.of(transcript(0), new DeviceReport.Result(1, empty)), 1000);

        assertThat(r.emptyTranscripts()).isEqualTo(1);
        assertThat(r.transcripts()).isEqualTo(2);
        assertThat(ResultLine.format("d", empty, 12)).isEqualTo("d #1 [0.00-0.00 s] whisper 0.00 12 ms: (nothing recognised)");
    }

    @Test
    void serverMessagesParseAsTheProtocolExamplesShow() throws Exception {
        assertThat(ServerMessage.parse("{\"type\":\"transcript\",\"id\":\"1-0\",\"seq\":5,\"text\":\"hi\","
                + "\"confidence\":0.9,\"provider\":\"deepgram\",\"start_ms\":10,\"end_ms\":20}"))
                .isEqualTo(new ServerMessage.Transcript("1-0", 5, "hi", 0.9, "deepgram", 10, 20));
        assertThat(ServerMessage.parse("{\"type\":\"error\",\"code\":\"transcription_failed\",\"message\":\"m\",\"seq\":6}"))
                .isEqualTo(new ServerMessage.Error("transcription_failed", "m", 6L));
    }
}
