package dev.speechfleet.core.worker;

import dev.speechfleet.core.consumer.EntryHandler;
import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.redis.RedisUnavailableException;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.AudioFields;
import dev.speechfleet.core.stream.EntryFields;
import dev.speechfleet.core.stream.FailureEvent;
import dev.speechfleet.core.stream.FailureKind;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.MalformedEntryException;
import dev.speechfleet.core.stream.ProviderError;
import dev.speechfleet.core.stream.SalvagedChunk;
import dev.speechfleet.core.tracing.EntryTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Takes one delivered entry to its end: a hypothesis, a re-route to the next provider, or a dead
 * letter with a failed hypothesis; its caller (the worker's {@code ConsumerLoop}, or the stranded-entry
 * sweeper) acknowledges it only then, when the outcome says so. An entry whose processing is cut short
 * (shutdown during a backoff, Redis unreachable, a failing write) is left pending for a later reclaim;
 * once it was delivered more than {@code max-deliveries} times it is ended without the provider, by a
 * path that always ends in an acknowledgement (see {@link #poisoned}).
 */
final class ChunkProcessor {

    private static final Logger LOG = Logger.getLogger(ChunkProcessor.class);

    /** The result of processing one entry: whether to acknowledge it, and a metric tag. */
    enum Outcome {
        TRANSCRIBED, REROUTED, DEAD, ACKED_DELETED, LEFT_PENDING;

        EntryHandler.Disposition disposition() {
            return this == LEFT_PENDING ? EntryHandler.Disposition.LEAVE_PENDING
                    : EntryHandler.Disposition.ACKNOWLEDGE;
        }
    }

    private final TranscriptionProvider provider;
    private final WorkerStreams streams;
    private final WorkerSettings settings;
    private final RetryBackoff backoff;
    private final CountDownLatch stopSignal;
    private final WorkerMetrics metrics;
    private final Clock clock;
    /** Whether a provider may be given a re-routed chunk now (live consumer or scale-from-zero). */
    private final Predicate<String> accepts;
    private final EntryTracing tracing;

    ChunkProcessor(TranscriptionProvider provider, WorkerStreams streams, WorkerSettings settings,
            CountDownLatch stopSignal, WorkerMetrics metrics, Clock clock, Predicate<String> accepts) {
        this(provider, streams, settings, stopSignal, metrics, clock, accepts, EntryTracing.off());
    }

    /** @param tracing the span of each chunk is a child of its entry's traceparent (ADR 0075) */
    ChunkProcessor(TranscriptionProvider provider, WorkerStreams streams, WorkerSettings settings,
            CountDownLatch stopSignal, WorkerMetrics metrics, Clock clock, Predicate<String> accepts,
            EntryTracing tracing) {
        this.tracing = tracing;
        this.provider = provider;
        this.streams = streams;
        this.settings = settings;
        this.backoff = new RetryBackoff(settings.backoffBase(), settings.backoffMax());
        this.stopSignal = stopSignal;
        this.metrics = metrics;
        this.clock = clock;
        this.accepts = accepts;
    }

    Outcome process(StreamEntry entry, long deliveries) {
        if (entry.deleted()) {
            return Outcome.ACKED_DELETED;
        }
        AudioChunk chunk;
        try {
            chunk = AudioChunkCodec.decode(entry.fields());
        } catch (MalformedEntryException e) {
            return deadLetterAsArrived(entry, "malformed entry: " + e.getMessage());
        }
        Span span = tracing.startChild("transcribe " + provider.name(), SpanKind.CONSUMER, chunk.traceparent());
        span.setAttribute("fleet.provider", provider.name());
        span.setAttribute("fleet.chunk_id", chunk.chunkId());
        span.setAttribute("fleet.attempt", chunk.attempt());
        try (Scope ignored = span.makeCurrent()) {
            Outcome outcome = process(entry, chunk, deliveries);
            span.setAttribute("fleet.outcome", outcome.name().toLowerCase(Locale.ROOT));
            return outcome;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    private Outcome process(StreamEntry entry, AudioChunk chunk, long deliveries) {
        if (deliveries > settings.maxDeliveries()) {
            return poisoned(entry, chunk, new ProviderError(provider.name(), FailureKind.POISON,
                    "delivered " + deliveries + " times (limit " + settings.maxDeliveries() + ")", now()));
        }
        byte[] audio = streams.audioOf(chunk);
        if (audio == null) {
            return deadEnd(chunk, new ProviderError(provider.name(), FailureKind.POISON,
                    "audio blob " + chunk.audioRef() + " no longer exists", now()));
        }
        return transcribe(chunk, chunk.withInlineAudio(audio));
    }

    private Outcome transcribe(AudioChunk chunk, AudioChunk withAudio) {
        for (int retry = 0; ; retry++) {
            long started = System.nanoTime();
            Transcript transcript;
            try {
                transcript = call(withAudio);
            } catch (TranscriptionException failure) {
                metrics.recordCall(Duration.ofNanos(System.nanoTime() - started));
                if (!shouldRetry(failure, retry)) {
                    return failover(chunk,
                            new ProviderError(provider.name(), failure.kind(), failure.getMessage(), now()));
                }
                metrics.retried();
                if (!waitBeforeRetry(chunk, retry, failure.retryAfter())) {
                    return Outcome.LEFT_PENDING;
                }
                continue;
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            metrics.recordCall(elapsed);
            // Outside the provider's failure handling: a failing write is not the provider's failure and
            // must not call the provider again (nor write and release again); the entry stays pending.
            return succeed(chunk, transcript, elapsed.toMillis());
        }
    }

    /** The provider call alone; a provider bug becomes a retryable failure, bounded like the others. */
    private Transcript call(AudioChunk withAudio) throws TranscriptionException {
        try {
            return provider.transcribe(withAudio);
        } catch (RuntimeException e) {
            // A provider bug is not the chunk's fault: treat it like a transient failure, bounded.
            LOG.warnf(e, "%s threw while transcribing %s", provider.name(), withAudio.chunkId());
            throw new TranscriptionException(FailureKind.RETRYABLE, e.toString(), null, e);
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

    private Outcome succeed(AudioChunk chunk, Transcript transcript, long processingMs) {
        double cost = chunk.durationMs() / 60_000.0 * provider.pricePerMinuteUsd();
        streams.writeHypothesis(Hypothesis.builder().of(chunk).provider(provider.name())
                .transcript(transcript.text(), transcript.confidence(), transcript.words())
                .language(transcript.language().isEmpty() ? chunk.language() : transcript.language())
                .model(transcript.model()).cost(processingMs, cost).producedAtMillis(now())
                .flags(transcript.flags()).traceparent(traceparent(chunk)).build());
        streams.releaseAudio(chunk);
        metrics.recordTranscribed(Duration.ofMillis(processingMs), chunk.durationMs(), cost);
        return Outcome.TRANSCRIBED;
    }

    /** Re-routes the chunk to the next provider of its chain, or dead-letters it when there is none. */
    private Outcome failover(AudioChunk chunk, ProviderError error) {
        FailoverPlan plan = FailoverPlan.after(chunk, provider.name(), settings.defaultChain(), settings.maxAttempts(),
                accepts);
        if (plan.next().isEmpty()) {
            return deadEnd(chunk, error);
        }
        String next = plan.next().get();
        streams.reroute(chunk.reroutedAfter(error, plan.remaining()).toBuilder().traceparent(traceparent(chunk))
                .build(), next);
        streams.logFailure(new FailureEvent(chunk.chunkId(), chunk.sessionId(), provider.name(), chunk.attempt(),
                error.kind(), error.message(), FailureEvent.ACTION_REROUTED, next, error.atMillis()));
        LOG.infof("%s failed %s (%s: %s); re-routed to %s", provider.name(), chunk.chunkId(), error.kind(),
                error.message(), next);
        metrics.rerouted(error.kind());
        return Outcome.REROUTED;
    }

    /** The chain is exhausted: dead letter, failed hypothesis so the device hears of it, failure log. */
    private Outcome deadEnd(AudioChunk chunk, ProviderError error) {
        AudioChunk finalState = chunk.reroutedAfter(error, List.of());
        byte[] audio = streams.audioOf(chunk);
        AudioChunk deadLetter = audio == null ? finalState : finalState.withInlineAudio(audio);
        String reason = error.kind() + ": " + error.message();
        streams.deadLetter(deadLetter, provider.name(), reason, error.atMillis());
        streams.writeHypothesis(failedHypothesis(chunk, reason));
        streams.logFailure(new FailureEvent(chunk.chunkId(), chunk.sessionId(), provider.name(), chunk.attempt(),
                error.kind(), error.message(), FailureEvent.ACTION_DEAD, "", error.atMillis()));
        streams.releaseAudio(chunk);
        LOG.warnf("%s is dead after %d attempt(s): %s", chunk.chunkId(), chunk.attempt(), reason);
        metrics.deadLettered(error.kind());
        return Outcome.DEAD;
    }

    /**
     * An entry delivered more often than allowed is failed over without calling the provider. When
     * that fails for any reason but Redis being unreachable (a key of the wrong type, a bug), the
     * chunk is dead-ended; when that fails too, the entry is dead-lettered as it arrived. Each way it
     * is acknowledged, so it can neither loop for ever nor hold back the trimming of its stream.
     */
    private Outcome poisoned(StreamEntry entry, AudioChunk chunk, ProviderError poison) {
        try {
            return failover(chunk, poison);
        } catch (RedisUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("re-routing over-delivered %s failed, dead-ending it: %s", chunk.chunkId(), e.toString());
            ProviderError error = new ProviderError(poison.provider(), FailureKind.POISON,
                    poison.message() + "; re-routing failed: " + e.getMessage(), poison.atMillis());
            try {
                return deadEnd(chunk, error);
            } catch (RedisUnavailableException again) {
                throw again;
            } catch (RuntimeException again) {
                LOG.errorf(again, "dead-ending over-delivered %s failed; dead-lettering it as it arrived",
                        chunk.chunkId());
                return deadLetterAsArrived(entry, error.kind() + ": " + error.message() + "; dead-ending failed: "
                        + again.getMessage());
            }
        }
    }

    /**
     * The last resort, for an entry that cannot be decoded or whose dead end failed: its raw fields go
     * to the dead letters, a failed hypothesis goes out when its session and seq can be read (so the
     * device gets an error result for the seq), and it is acknowledged. Its blob, if any, is left to
     * its safety TTL: a reference read from an entry that cannot be trusted is not released.
     */
    private Outcome deadLetterAsArrived(StreamEntry entry, String reason) {
        long now = now();
        streams.deadLetterUndecodable(entry.fields().asMap(), provider.name(), reason, now);
        Optional<SalvagedChunk> salvaged = SalvagedChunk.from(entry.fields());
        try {
            salvaged.ifPresent(chunk -> streams.writeHypothesis(chunk.failedHypothesis(provider.name(), reason, now)));
            EntryFields raw = entry.fields();
            streams.logFailure(new FailureEvent(
                    salvaged.map(SalvagedChunk::chunkId).orElseGet(() -> raw.string(AudioFields.CHUNK_ID, entry.id())),
                    salvaged.map(SalvagedChunk::sessionId).orElseGet(() -> raw.string(AudioFields.SESSION_ID, "")),
                    provider.name(), salvaged.map(SalvagedChunk::attempt).orElse(1), FailureKind.POISON, reason,
                    FailureEvent.ACTION_DEAD, "", now));
        } catch (RedisUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            // The dead letter is written: acknowledging beats writing it again on every delivery.
            LOG.errorf(e, "could not report dead-lettered entry %s of %s", entry.id(), streams.stream());
        }
        LOG.warnf("entry %s of %s was dead-lettered as it arrived (%s): %s", entry.id(), streams.stream(),
                salvaged.isPresent() ? "failed hypothesis written" : "no session and seq to report", reason);
        metrics.deadLettered(FailureKind.POISON);
        return Outcome.DEAD;
    }

    private Hypothesis failedHypothesis(AudioChunk chunk, String reason) {
        return Hypothesis.builder().of(chunk).provider(provider.name()).failed(reason).producedAtMillis(now())
                .traceparent(traceparent(chunk)).build();
    }

    /** What the entries this chunk leads to carry: the context of its span, or the chunk's own with tracing off. */
    private static String traceparent(AudioChunk chunk) {
        return EntryTracing.traceparent(Span.current(), chunk.traceparent());
    }

    private long now() {
        return clock.millis();
    }
}
