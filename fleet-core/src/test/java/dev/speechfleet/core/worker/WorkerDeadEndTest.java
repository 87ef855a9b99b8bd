package dev.speechfleet.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.AudioFields;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.EntryFields;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.ScriptedProvider;
import dev.speechfleet.core.testing.RedisPerClass;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every way a worker ends an entry without a transcript leaves a dead letter and a failed hypothesis
 * (so the device gets an error result for the seq), and acknowledges the entry: nothing stays pending
 * forever, and the stream can be trimmed past it.
 */
class WorkerDeadEndTest {

    private static final String STREAM = StreamKeys.audioStream("alpha");
    private static final String GROUP = StreamKeys.workerGroup("alpha");

    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();
    private RedisStreams streams;
    private StreamWorker worker;

    @BeforeEach
    void setUp() {
        streams = redis.streams();
    }

    @AfterEach
    void stopWorker() {
        if (worker != null) {
            worker.stop();
        }
    }

    @Test
    void malformedEntryWhoseSessionAndSeqCanBeReadGetsAFailedHypothesis() {
        EntryFields fields = AudioChunkCodec.encode(Chunks.chunk("m1", 3, List.of()));
        fields.put(AudioFields.SAMPLE_RATE, "sixteen thousand");
        streams.add(STREAM, fields);
        startWorker(new ScriptedProvider("alpha"));

        Hypothesis failed = awaitHypothesis("m1", 3);

        assertThat(failed.ok()).isFalse();
        assertThat(failed.chunkId()).isEqualTo("m1:3");
        assertThat(failed.provider()).isEqualTo("alpha");
        assertThat(failed.deviceId()).isEqualTo("device-1");
        assertThat(failed.startMs()).isEqualTo(3000);
        assertThat(failed.error()).contains("malformed").contains("sample_rate");
        assertThat(deadLetters()).singleElement().satisfies(d ->
                assertThat(d.fields().string(AudioFields.FINAL_ERROR)).contains("malformed"));
        awaitNothingPending();
    }

    @Test
    void redrivenDeadLetterNamingAnInvalidProviderEndsDeadWithAFailedHypothesisAndIsTrimmed() {
        ScriptedProvider alpha = new ScriptedProvider("alpha");
        alpha.behave((chunk, call) -> {
            if (chunk.sessionId().equals("redriven")) {
                throw TranscriptionException.permanent("HTTP 400 from alpha");
            }
            return alpha.echo(chunk);
        });
        // An operator re-drives a dead letter with a typo in its chain: 'Whisper' cannot name a stream.
        String poisonId = streams.add(STREAM, AudioChunkCodec.encode(Chunks.chunk("redriven", 5, List.of("Whisper"))));
        for (int seq = 0; seq < 20; seq++) {
            streams.add(STREAM, AudioChunkCodec.encode(Chunks.chunk("good", seq, List.of())));
        }
        startWorker(alpha);

        Hypothesis failed = awaitHypothesis("redriven", 5);

        assertThat(failed.ok()).isFalse();
        assertThat(failed.error()).contains("Whisper");
        assertThat(deadLetters()).singleElement().satisfies(d ->
                assertThat(d.fields().string(AudioFields.CHUNK_ID)).isEqualTo("redriven:5"));
        awaitNothingPending();
        await().atMost(Duration.ofSeconds(20)).until(() -> hypothesesOf("good").size() == 20);
        await().atMost(Duration.ofSeconds(15)).until(() -> streams.range(STREAM, poisonId, poisonId, 1).isEmpty());
    }

    @Test
    void overDeliveredEntryWhoseFailoverKeepsFailingIsDeadEnded() {
        // The next provider's stream key holds a string: every re-route XADD fails with WRONGTYPE.
        streams.send(Request.cmd(Command.SET).arg(StreamKeys.audioStream("beta")).arg("not a stream"));
        ScriptedProvider alpha = new ScriptedProvider("alpha").behave((chunk, call) -> {
            throw TranscriptionException.permanent("HTTP 400 from alpha");
        });
        streams.add(STREAM, AudioChunkCodec.encode(Chunks.chunk("stuck", 2, List.of("beta"))));
        startWorker(alpha);

        Hypothesis failed = awaitHypothesis("stuck", 2);

        assertThat(failed.ok()).isFalse();
        assertThat(failed.error()).contains("delivered").contains("WRONGTYPE");
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            AudioChunk dead = AudioChunkCodec.decode(d.fields());
            assertThat(dead.chunkId()).isEqualTo("stuck:2");
            assertThat(dead.audio()).isEqualTo(Chunks.chunk("stuck", 2, null).audio());
        });
        awaitNothingPending();
    }

    @Test
    void overDeliveredEntryWhoseDeadEndFailsTooIsDeadLetteredAsItArrived() {
        // The blob key holds a hash (every read of the audio fails) and the fallback stream a string.
        streams.send(Request.cmd(Command.HSET).arg(StreamKeys.audioBlob("broken:4")).arg("f").arg("v"));
        streams.send(Request.cmd(Command.SET).arg(StreamKeys.audioStream("beta")).arg("not a stream"));
        AudioChunk inline = Chunks.chunk("broken", 4, List.of("beta"));
        AudioChunk byRef = inline.toBuilder().audio(null).audioRef(inline.chunkId()).traceparent(null)
                .keyterms(List.of()).build();
        streams.add(STREAM, AudioChunkCodec.encode(byRef));
        ScriptedProvider alpha = new ScriptedProvider("alpha");
        startWorker(alpha);

        Hypothesis failed = awaitHypothesis("broken", 4);

        assertThat(failed.ok()).isFalse();
        assertThat(alpha.callsFor("broken:4")).isZero();
        assertThat(deadLetters()).singleElement().satisfies(d ->
                assertThat(d.fields().string(AudioFields.AUDIO_REF)).isEqualTo("broken:4"));
        awaitNothingPending();
    }

    private void startWorker(ScriptedProvider provider) {
        worker = new StreamWorker(streams, provider, TestSettings.fast("w1"), new SimpleMeterRegistry());
        worker.start();
    }

    private Hypothesis awaitHypothesis(String session, long seq) {
        await().atMost(Duration.ofSeconds(30)).until(() -> find(session, seq).isPresent());
        return find(session, seq).orElseThrow();
    }

    private Optional<Hypothesis> find(String session, long seq) {
        return hypothesesOf(session).stream().filter(h -> h.seq() == seq).findFirst();
    }

    private List<Hypothesis> hypothesesOf(String session) {
        return streams.range(StreamKeys.HYPOTHESES, "-", "+", 10_000).stream()
                .map(e -> HypothesisCodec.decode(e.fields())).filter(h -> h.sessionId().equals(session)).toList();
    }

    private List<StreamEntry> deadLetters() {
        return streams.range(StreamKeys.DEAD, "-", "+", 100);
    }

    private void awaitNothingPending() {
        await().atMost(Duration.ofSeconds(15)).until(() -> streams.pendingSummary(STREAM, GROUP).count() == 0);
    }
}
