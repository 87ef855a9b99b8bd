package dev.speechfleet.router.testing;

import dev.speechfleet.core.consumer.LoopSettings;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.redis.StreamReader;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.stream.TranscriptResult;
import dev.speechfleet.core.stream.TranscriptResultCodec;
import dev.speechfleet.core.testing.ScriptedProvider;
import dev.speechfleet.core.worker.StreamWorker;
import dev.speechfleet.core.worker.WorkerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;

/**
 * The rest of the fleet for router tests: a real fleet-core {@link StreamWorker} with a
 * {@link ScriptedProvider} on a provider's stream, and a minimal stand-in for the results aggregator
 * that turns each hypothesis into a {@link TranscriptResult} on the session stream and publishes the
 * session id (the contract the real aggregator keeps).
 */
public final class TestPipeline implements AutoCloseable {

    private final RedisStreams redis;
    private final StreamWorker worker;
    private final ScriptedProvider provider;
    private final Thread aggregator;
    private volatile boolean running = true;

    public TestPipeline(RedisStreams redis, ScriptedProvider provider) {
        this.redis = redis;
        this.provider = provider;
        LoopSettings loop = LoopSettings.builder().handlerThreads(4).reads(8, Duration.ofMillis(100))
                .claims(Duration.ofMillis(1500), Duration.ofMillis(200))
                .departures(Duration.ofSeconds(30), Duration.ofSeconds(5)).build();
        WorkerSettings settings = WorkerSettings.builder("test-" + provider.name(), List.of(provider.name()))
                .loop(loop).retries(1, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(1))
                .maxDeliveries(3).maxAttempts(4).caps(10_000, 10_000).build();
        this.worker = new StreamWorker(redis, provider, settings, new SimpleMeterRegistry());
        redis.createGroup(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP);
        worker.start();
        aggregator = Thread.ofPlatform().name("test-aggregator").daemon().start(this::aggregate);
    }

    public ScriptedProvider provider() {
        return provider;
    }

    private void aggregate() {
        while (running) {
            try (StreamReader reader = redis.openReader()) {
                while (running) {
                    List<StreamEntry> entries = reader.readGroup(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP,
                            "test-aggregator", 32, Duration.ofMillis(100), ">");
                    for (StreamEntry entry : entries) {
                        publish(HypothesisCodec.decode(entry.fields()));
                        redis.ack(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP, List.of(entry.id()));
                    }
                }
            } catch (RuntimeException e) {
                // Redis restarted (empty) or unreachable: like the real aggregator, recreate the group and go on.
                pauseAndRecreateGroup();
            }
        }
    }

    private void pauseAndRecreateGroup() {
        try {
            Thread.sleep(100);
            redis.createGroup(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } catch (RuntimeException stillAway) {
            // tried again on the next round
        }
    }

    private void publish(Hypothesis h) {
        TranscriptResult result = TranscriptResult.builder().of(h)
                .outcome(h.ok(), h.text(), h.confidence(), h.ok() ? "" : TranscriptResult.TRANSCRIPTION_FAILED, h.error())
                .providers(h.provider(), List.of(h.provider())).latencyMs(System.currentTimeMillis() - h.enqueuedAtMillis())
                .costUsd(h.costUsd()).mode(h.mode()).producedAtMillis(System.currentTimeMillis()).build();
        Results.write(redis, result);
    }

    @Override
    public void close() {
        running = false;
        worker.stop();
        try {
            aggregator.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes results as the aggregator does. */
    public static final class Results {

        private Results() {
        }

        /** XADD to the session stream, then PUBLISH the session id; returns the entry id. */
        public static String write(RedisStreams redis, TranscriptResult result) {
            String id = redis.add(StreamKeys.sessionResults(result.sessionId()), TranscriptResultCodec.encode(result));
            redis.send(Request.cmd(Command.PUBLISH).arg(StreamKeys.RESULTS_NOTIFY_CHANNEL).arg(result.sessionId()));
            return id;
        }

        /** A successful result for {@code seq}. */
        public static TranscriptResult ok(String sessionId, long seq, String text) {
            return TranscriptResult.builder().utterance(sessionId, "", seq).transcript(text, 0.9)
                    .providers("whisper", List.of("whisper")).span(seq * 1000, seq * 1000 + 800).latencyMs(100)
                    .producedAtMillis(System.currentTimeMillis()).build();
        }

        /** A failed result (the whole chain failed) for {@code seq}. */
        public static TranscriptResult failed(String sessionId, long seq) {
            return TranscriptResult.builder().utterance(sessionId, "", seq)
                    .failed(TranscriptResult.TRANSCRIPTION_FAILED, "every provider failed").agreement(1)
                    .providers("whisper", List.of("whisper")).span(seq * 1000, seq * 1000 + 800).latencyMs(100)
                    .producedAtMillis(System.currentTimeMillis()).build();
        }
    }
}
