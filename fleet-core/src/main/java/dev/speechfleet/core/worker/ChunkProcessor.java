package dev.speechfleet.core.worker;

import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.FailureEvent;
import dev.speechfleet.core.stream.FailureKind;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.MalformedEntryException;
import dev.speechfleet.core.stream.ProviderError;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Takes one delivered entry to its end: a hypothesis, a re-route to the next provider, or a dead
 * letter with a failed hypothesis; and only then acknowledges it. An entry whose processing is cut
 * short (shutdown during a backoff, Redis unreachable) is left pending for a later reclaim.
 */
final class ChunkProcessor {

    private static final Logger LOG = Logger.getLogger(ChunkProcessor.class);

    /** The result of processing one entry, for metrics. */
    enum Outcome { TRANSCRIBED, REROUTED, DEAD, ACKED_DELETED, LEFT_PENDING }

    private final TranscriptionProvider provider;
    private final WorkerStreams streams;
    private final WorkerSettings settings;
    private final RetryBackoff backoff;
    private final CountDownLatch stopSignal;
    private final WorkerMetrics metrics;
    private final Clock clock;

    ChunkProcessor(TranscriptionProvider provider, WorkerStreams streams, WorkerSettings settings,
            CountDownLatch stopSignal, WorkerMetrics metrics, Clock clock) {
        this.provider = provider;
        this.streams = streams;
        this.settings = settings;
        this.backoff = new RetryBackoff(settings.backoffBase(), settings.backoffMax());
        this.stopSignal = stopSignal;
        this.metrics = metrics;
        this.clock = clock;
    }

    Outcome process(StreamEntry entry, long deliveries) {
        if (entry.deleted()) {
            streams.ack(entry.id());
            return Outcome.ACKED_DELETED;
        }
        AudioChunk chunk;
        try {
            chunk = AudioChunkCodec.decode(entry.fields());
        } catch (MalformedEntryException e) {
            return deadLetterMalformed(entry, e);
        }
        if (deliveries > settings.maxDeliveries()) {
            return failover(entry.id(), chunk, new ProviderError(provider.name(), FailureKind.POISON,
                    "delivered " + deliveries + " times (limit " + settings.maxDeliveries() + ")", now()));
        }
        byte[] audio = streams.audioOf(chunk);
        if (audio == null) {
            return deadEnd(entry.id(), chunk, new ProviderError(provider.name(), FailureKind.POISON,
                    "audio blob " + chunk.audioRef() + " no longer exists", now()));
        }
        return transcribe(entry.id(), chunk, chunk.withInlineAudio(audio));
    }

    private Outcome transcribe(String entryId, AudioChunk chunk, AudioChunk withAudio) {
        for (int retry = 0; ; retry++) {
            long started = System.nanoTime();
            TranscriptionException failure;
            try {
                Transcript transcript = provider.transcribe(withAudio);
                Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                metrics.recordProcessing(elapsed, chunk.durationMs());
                return succeed(entryId, chunk, transcript, elapsed.toMillis());
            } catch (TranscriptionException e) {
                failure = e;
            } catch (RuntimeException e) {
                // A provider bug is not the chunk's fault: treat it like a transient failure, bounded.
                LOG.warnf(e, "%s threw while transcribing %s", provider.name(), chunk.chunkId());
                failure = new TranscriptionException(FailureKind.RETRYABLE, e.toString(), null, e);
            }
            if (!shouldRetry(failure, retry)) {
                return failover(entryId, chunk,
                        new ProviderError(provider.name(), failure.kind(), failure.getMessage(), now()));
            }
            metrics.retried();
            if (!waitBeforeRetry(chunk, retry, failure.retryAfter())) {
                return Outcome.LEFT_PENDING;
            }
        }
    }

    private boolean shouldRetry(TranscriptionException e, int retry) {
        if (e.kind() != FailureKind.RETRYABLE || retry >= settings.maxRetries()) {
            return false;
        }
        return e.retryAfter().map(wait -> wait.compareTo(settings.retryAfterLimit()) <= 0).orElse(true);
    }

    /** Waits out the backoff; false when the worker is stopping, so the entry stays pending. */
    private boolean waitBeforeRetry(AudioChunk chunk, int retry, Optional<Duration> retryAfter) {
        Duration delay = backoff.delay(retry, retryAfter);
        LOG.debugf("retrying %s on %s in %d ms (retry %d)", chunk.chunkId(), provider.name(), delay.toMillis(),
                retry + 1);
        try {
            return !stopSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Outcome succeed(String entryId, AudioChunk chunk, Transcript transcript, long processingMs) {
        double cost = chunk.durationMs() / 60_000.0 * provider.pricePerMinuteUsd();
        streams.writeHypothesis(new Hypothesis(chunk.chunkId(), chunk.sessionId(), chunk.deviceId(), chunk.seq(),
                provider.name(), true, transcript.text(), transcript.confidence(), transcript.words(),
                transcript.language().isEmpty() ? chunk.language() : transcript.language(), transcript.model(),
                chunk.startMs(), chunk.durationMs(), processingMs, cost, chunk.attempt(), chunk.mode(),
                chunk.consensusProviders(), chunk.enqueuedAtMillis(), now(), "", chunk.traceparent(),
                transcript.flags()));
        streams.releaseAudio(chunk);
        streams.ack(entryId);
        return Outcome.TRANSCRIBED;
    }

    /** Re-routes the chunk to the next provider of its chain, or dead-letters it when there is none. */
    private Outcome failover(String entryId, AudioChunk chunk, ProviderError error) {
        FailoverPlan plan = FailoverPlan.after(chunk, provider.name(), settings.defaultChain(), settings.maxAttempts());
        if (plan.next().isEmpty()) {
            return deadEnd(entryId, chunk, error);
        }
        String next = plan.next().get();
        streams.reroute(chunk.reroutedAfter(error, plan.remaining()), next);
        streams.logFailure(new FailureEvent(chunk.chunkId(), chunk.sessionId(), provider.name(), chunk.attempt(),
                error.kind(), error.message(), FailureEvent.ACTION_REROUTED, next, error.atMillis()));
        streams.ack(entryId);
        LOG.infof("%s failed %s (%s: %s); re-routed to %s", provider.name(), chunk.chunkId(), error.kind(),
                error.message(), next);
        return Outcome.REROUTED;
    }

    /** The chain is exhausted: dead letter, failed hypothesis so the device hears of it, failure log, ack. */
    private Outcome deadEnd(String entryId, AudioChunk chunk, ProviderError error) {
        AudioChunk finalState = chunk.reroutedAfter(error, java.util.List.of());
        byte[] audio = streams.audioOf(chunk);
        AudioChunk deadLetter = audio == null ? finalState : finalState.withInlineAudio(audio);
        String reason = error.kind() + ": " + error.message();
        streams.deadLetter(deadLetter, provider.name(), reason, error.atMillis());
        streams.writeHypothesis(failedHypothesis(chunk, reason));
        streams.logFailure(new FailureEvent(chunk.chunkId(), chunk.sessionId(), provider.name(), chunk.attempt(),
                error.kind(), error.message(), FailureEvent.ACTION_DEAD, "", error.atMillis()));
        streams.releaseAudio(chunk);
        streams.ack(entryId);
        LOG.warnf("%s is dead after %d attempt(s): %s", chunk.chunkId(), chunk.attempt(), reason);
        return Outcome.DEAD;
    }

    private Outcome deadLetterMalformed(StreamEntry entry, MalformedEntryException e) {
        String reason = "malformed entry: " + e.getMessage();
        streams.deadLetterUndecodable(entry.fields().asMap(), provider.name(), reason, now());
        streams.logFailure(new FailureEvent(entry.fields().string("chunk_id", entry.id()),
                entry.fields().string("session_id", ""), provider.name(), 1, FailureKind.POISON, reason,
                FailureEvent.ACTION_DEAD, "", now()));
        streams.ack(entry.id());
        LOG.warnf("entry %s of %s is malformed and was dead-lettered: %s", entry.id(), streams.stream(),
                e.getMessage());
        return Outcome.DEAD;
    }

    private Hypothesis failedHypothesis(AudioChunk chunk, String reason) {
        return new Hypothesis(chunk.chunkId(), chunk.sessionId(), chunk.deviceId(), chunk.seq(), provider.name(),
                false, "", 0, null, chunk.language(), "", chunk.startMs(), chunk.durationMs(), 0, 0, chunk.attempt(),
                chunk.mode(), chunk.consensusProviders(), chunk.enqueuedAtMillis(), now(), reason,
                chunk.traceparent());
    }

    private long now() {
        return clock.millis();
    }
}
