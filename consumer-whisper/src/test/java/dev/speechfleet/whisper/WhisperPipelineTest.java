package dev.speechfleet.whisper;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.RecordedSpeech;
import dev.speechfleet.core.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The whole path on the real native library and a real Redis: audio entries on
 * {@code audio:stream:whisper} are read by the fleet-core worker in {@code whisper_workers},
 * transcribed by the vocab-only tiny.en model, and answered on {@code transcription:hypotheses}.
 * Bad audio is re-routed, and readiness reports the loaded model.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class WhisperPipelineTest {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    @Inject
    RedisStreams redis;

    @Inject
    WhisperRuntime runtime;

    @Test
    void everySpokenChunkGetsOneHypothesisFromWhisper() {
        String session = "s-" + UUID.randomUUID();
        List<String> phrases = List.of("turn on the kitchen lights", "what time is it", "play some music");
        for (int seq = 0; seq < phrases.size(); seq++) {
            byte[] pcm = RecordedSpeech.pcm(phrases.get(seq));
            redis.add(StreamKeys.audioStream("whisper"), AudioChunkCodec.encode(chunk(session, seq, pcm, 16000)));
        }

        await().atMost(PATIENCE).until(() -> hypothesesOf(session).size() >= phrases.size());

        List<Hypothesis> hypotheses = hypothesesOf(session);
        assertThat(hypotheses).extracting(Hypothesis::chunkId)
                .containsExactlyInAnyOrder(session + ":0", session + ":1", session + ":2");
        assertThat(hypotheses).allSatisfy(h -> {
            assertThat(h.ok()).isTrue();
            assertThat(h.provider()).isEqualTo("whisper");
            assertThat(h.model()).isEqualTo(TestModels.VOCAB_ONLY);
            assertThat(h.language()).isEqualTo("en");
            assertThat(h.processingMs()).isPositive();
        });
        await().atMost(PATIENCE).until(() -> redis.pendingSummary(StreamKeys.audioStream("whisper"),
                StreamKeys.workerGroup("whisper")).count() == 0);
    }

    @Test
    void audioWhisperCannotTakeIsReroutedWithTheReasonAndTheWorkerCarriesOn() {
        String session = "s-" + UUID.randomUUID();
        redis.add(StreamKeys.audioStream("whisper"), AudioChunkCodec.encode(chunk(session, 0,
                WhisperProviderTest.tone(6000, 1000), 6000)));
        redis.add(StreamKeys.audioStream("whisper"), AudioChunkCodec.encode(chunk(session, 1,
                WhisperProviderTest.tone(16000, 1000), 16000)));

        await().atMost(PATIENCE).until(() -> reroutedOf(session).isPresent() && hypothesesOf(session).size() == 1);

        AudioChunk rerouted = reroutedOf(session).orElseThrow();
        assertThat(rerouted.seq()).isZero();
        assertThat(rerouted.attempt()).isEqualTo(2);
        assertThat(rerouted.errorHistory()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("6000 Hz"));
        assertThat(hypothesesOf(session)).singleElement().satisfies(h -> assertThat(h.seq()).isEqualTo(1));
    }

    @Test
    void eightKilohertzAudioIsTranscribedNotRerouted() {
        String session = "s-" + UUID.randomUUID();
        redis.add(StreamKeys.audioStream("whisper"), AudioChunkCodec.encode(chunk(session, 0,
                WhisperProviderTest.tone(8000, 1500), 8000)));

        await().atMost(PATIENCE).until(() -> hypothesesOf(session).size() == 1);

        assertThat(hypothesesOf(session).getFirst().ok()).isTrue();
        assertThat(reroutedOf(session)).isEmpty();
    }

    @Test
    void theServiceDecodesWithoutTimestampsBecauseItPublishesNoTimings() {
        assertThat(runtime.engine().decoding().timestamps()).isFalse();
        assertThat(runtime.engine().decoding().params("en").noTimestamps).isTrue();
    }

    @Test
    void whatTheLoadedModelServesIsPublishedForTheRouter() throws Exception {
        String stored = redis.send(Request.cmd(Command.GET).arg(StreamKeys.providerCapabilities("whisper")))
                .toString();

        ProviderCapabilities published = ProviderCapabilities.readFrom(new ObjectMapper().readTree(stored))
                .orElseThrow();
        assertThat(published.languages()).containsExactly("en");
        assertThat(published.serves("en-GB", 8000)).isTrue();
    }

    @Test
    void readyWithTheLoadedModelAndOneStatePerWorkerSlot() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'whisper-model' }.data.model", equalTo(TestModels.VOCAB_ONLY))
                .body("checks.find { it.name == 'whisper-model' }.data.states", equalTo(2));
    }

    private static AudioChunk chunk(String session, long seq, byte[] pcm, int sampleRate) {
        return AudioChunk.builder().utterance(session, "device-1", seq).audio(pcm).sampleRate(sampleRate)
                .startMs(seq * 5000).durationMs(pcm.length * 1000L / 2 / sampleRate).language("en-US")
                .policy("balanced").routeReason("test").fallbackProviders(List.of("deepgram"))
                .enqueuedAtMillis(System.currentTimeMillis()).build();
    }

    private List<Hypothesis> hypothesesOf(String session) {
        return redis.range(StreamKeys.HYPOTHESES, "-", "+", 1000).stream().map(StreamEntry::fields)
                .map(HypothesisCodec::decode).filter(h -> h.sessionId().equals(session)).toList();
    }

    private java.util.Optional<AudioChunk> reroutedOf(String session) {
        return redis.range(StreamKeys.audioStream("deepgram"), "-", "+", 1000).stream().map(StreamEntry::fields)
                .map(AudioChunkCodec::decode).filter(c -> c.sessionId().equals(session)).findFirst();
    }
}
