package dev.speechfleet.router.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speechfleet.core.stream.TranscriptResult;
import dev.speechfleet.router.testing.TestPipeline.Results;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultOutboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MS = 1_000_000;

    @Test
    void resultsInOrderGoOutAtOnce() {
        ResultOutbox outbox = new ResultOutbox(0, 0, 1000);

        assertThat(seqs(outbox.offer("1-0", ok(0), 0))).containsExactly(0L);
        assertThat(seqs(outbox.offer("2-0", ok(1), 0))).containsExactly(1L);
    }

    @Test
    void aLaterResultWaitsForTheEarlierOne() {
        ResultOutbox outbox = new ResultOutbox(0, 0, 1000);

        assertThat(outbox.offer("2-0", ok(2), 0)).isEmpty();
        assertThat(outbox.offer("1-0", ok(1), 0)).isEmpty();
        assertThat(seqs(outbox.offer("3-0", ok(0), 0))).containsExactly(0L, 1L, 2L);
    }

    @Test
    void theTranscriptCarriesItsEntryId() throws Exception {
        ResultOutbox outbox = new ResultOutbox(0, 0, 1000);

        JsonNode message = JSON.readTree(outbox.offer("1700000000000-3", ok(0), 0).getFirst());

        assertThat(message.path("type").asText()).isEqualTo("transcript");
        assertThat(message.path("id").asText()).isEqualTo("1700000000000-3");
    }

    @Test
    void aMissingResultIsReportedAfterTheHoldTimeAndDeliveryMovesOn() throws Exception {
        ResultOutbox outbox = new ResultOutbox(0, 0, 1000);
        outbox.offer("5-0", ok(2), 0);

        assertThat(outbox.expire(999 * MS)).isEmpty();
        List<String> out = outbox.expire(1000 * MS);

        assertThat(out).hasSize(3);
        assertThat(JSON.readTree(out.get(0)).path("code").asText()).isEqualTo("result_missing");
        assertThat(seqs(out)).containsExactly(0L, 1L, 2L);
        assertThat(outbox.offer("6-0", ok(0), 2000 * MS)).as("too late: already reported").isEmpty();
    }

    @Test
    void theHoldTimeRestartsWhenDeliveryProgresses() {
        ResultOutbox outbox = new ResultOutbox(0, 0, 1000);
        outbox.offer("3-0", ok(2), 0);
        outbox.offer("1-0", ok(0), 800 * MS);

        assertThat(outbox.expire(1200 * MS)).isEmpty();
        assertThat(seqs(outbox.expire(1800 * MS))).containsExactly(1L, 2L);
    }

    @Test
    void aDuplicateIsDeliveredOnce() {
        ResultOutbox outbox = new ResultOutbox(0, 0, 1000);
        outbox.offer("1-0", ok(0), 0);

        assertThat(outbox.offer("2-0", ok(0), 0)).isEmpty();
    }

    @Test
    void aFailedUtteranceBecomesAnErrorForItsSeq() throws Exception {
        ResultOutbox outbox = new ResultOutbox(0, 0, 1000);

        JsonNode message = JSON.readTree(outbox.offer("1-0", Results.failed("s", 0), 0).getFirst());

        assertThat(message.path("type").asText()).isEqualTo("error");
        assertThat(message.path("code").asText()).isEqualTo("transcription_failed");
        assertThat(message.path("seq").asLong()).isZero();
    }

    @Test
    void aResumedOutboxSkipsWhatTheDeviceHas() {
        ResultOutbox outbox = new ResultOutbox(3, 5, 1000);

        assertThat(outbox.offer("1-0", ok(2), 0)).isEmpty();
        assertThat(seqs(outbox.offer("2-0", ok(3), 0))).containsExactly(3L);
        assertThat(outbox.outstanding()).isTrue();
    }

    @Test
    void abandoningReportsEveryOutstandingSeq() {
        ResultOutbox outbox = new ResultOutbox(0, 0, 1000);
        outbox.issued(0);
        outbox.issued(1);
        outbox.offer("2-0", ok(1), 0);

        assertThat(seqs(outbox.abandonOutstanding())).containsExactly(0L, 1L);
        assertThat(outbox.outstanding()).isFalse();
    }

    private static TranscriptResult ok(long seq) {
        return Results.ok("s", seq, "text " + seq);
    }

    private static List<Long> seqs(List<String> messages) {
        return messages.stream().map(m -> {
            try {
                return JSON.readTree(m).path("seq").asLong();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
