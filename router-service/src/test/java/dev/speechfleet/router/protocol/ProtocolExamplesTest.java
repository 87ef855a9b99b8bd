package dev.speechfleet.router.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speechfleet.core.stream.TranscriptResult;
import dev.speechfleet.router.testing.Examples;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The examples in docs/protocol/ are exactly what the router parses and sends. */
class ProtocolExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyMessageOfTheProtocolHasAnExample() {
        assertThat(Examples.names()).containsExactlyInAnyOrder("start", "start-resume", "start-consensus", "start-opus",
                "flush", "stop", "ready", "transcript", "error", "error-seq", "ready-resumed", "start-resume-no-resend",
                "error-audio-gap");
    }

    @Test
    void theStartExampleParses() {
        assertThat(ClientMessageParser.parse(Examples.text("start"))).isEqualTo(new ClientMessage.Start(
                Optional.empty(), OptionalLong.empty(), 16000, "pcm_s16le", "en", Optional.of("balanced"), List.of()));
    }

    @Test
    void theResumeExampleParses() {
        ClientMessage.Start start = (ClientMessage.Start) ClientMessageParser.parse(Examples.text("start-resume"));

        assertThat(start.sessionId()).contains("3f1c6a0e-8d2b-4c1e-9a57-1b2c3d4e5f60");
        assertThat(start.lastSeq()).hasValue(4);
    }

    @Test
    void theConsensusExampleParses() {
        ClientMessage.Start start = (ClientMessage.Start) ClientMessageParser.parse(Examples.text("start-consensus"));

        assertThat(start.consensus()).containsExactly("whisper", "deepgram");
        assertThat(start.policy()).isEmpty();
    }

    @Test
    void theOpusExampleParses() {
        ClientMessage.Start start = (ClientMessage.Start) ClientMessageParser.parse(Examples.text("start-opus"));

        assertThat(start.encoding()).isEqualTo("opus");
        assertThat(start.sampleRate()).isEqualTo(16000);
    }

    @Test
    void flushAndStopExamplesParse() {
        assertThat(ClientMessageParser.parse(Examples.text("flush"))).isInstanceOf(ClientMessage.Flush.class);
        assertThat(ClientMessageParser.parse(Examples.text("stop"))).isInstanceOf(ClientMessage.Stop.class);
    }

    @Test
    void readyIsSentAsInTheExample() throws Exception {
        assertThat(JSON.readTree(ServerMessages.ready("3f1c6a0e-8d2b-4c1e-9a57-1b2c3d4e5f60", false, 0)))
                .isEqualTo(Examples.json("ready"));
    }

    @Test
    void aResumedReadyIsSentAsInTheExample() throws Exception {
        assertThat(JSON.readTree(ServerMessages.ready("3f1c6a0e-8d2b-4c1e-9a57-1b2c3d4e5f60", true, 5220)))
                .isEqualTo(Examples.json("ready-resumed"));
    }

    @Test
    void anAudioGapIsSentAsInTheExample() throws Exception {
        assertThat(JSON.readTree(ServerMessages.audioGap(5220, 9000))).isEqualTo(Examples.json("error-audio-gap"));
    }

    @Test
    void aResumeThatCannotResendCarriesItsAudioPosition() {
        ClientMessage.Start start = (ClientMessage.Start) ClientMessageParser.parse(
                Examples.text("start-resume-no-resend"));

        assertThat(start.audioMs()).hasValue(9000);
        assertThat(start.lastSeq()).hasValue(4);
    }

    @Test
    void aTranscriptIsSentAsInTheExample() throws Exception {
        JsonNode example = Examples.json("transcript");
        TranscriptResult result = TranscriptResult.builder().utterance("s", "d", 5)
                .transcript("turn on the kitchen lights", 0.93).providers("deepgram", List.of("deepgram"))
                .span(10240, 11980).latencyMs(300).costUsd(0.0001).build();

        assertThat(JSON.readTree(ServerMessages.transcript("1763712000123-0", result))).isEqualTo(example);
    }

    @Test
    void errorsAreSentAsInTheExamples() throws Exception {
        assertThat(JSON.readTree(ServerMessages.error(ProtocolError.UNSUPPORTED_SAMPLE_RATE,
                "sample_rate 44100 is not supported; use one of [8000, 16000]"))).isEqualTo(Examples.json("error"));
        assertThat(JSON.readTree(ServerMessages.error(ProtocolError.TRANSCRIPTION_FAILED,
                "every provider failed for this utterance", 6))).isEqualTo(Examples.json("error-seq"));
    }
}
