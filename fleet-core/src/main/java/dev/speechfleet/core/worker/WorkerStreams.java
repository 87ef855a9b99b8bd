package dev.speechfleet.core.worker;

import dev.speechfleet.core.redis.AudioBlobStore;
import dev.speechfleet.core.redis.ConsumerGroup;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.DeadLetterCodec;
import dev.speechfleet.core.stream.EntryFields;
import dev.speechfleet.core.stream.FailureEvent;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import java.util.Map;

/**
 * The writes a worker makes, in one place: hypotheses, re-routes, failures, dead letters and blob
 * releases; acknowledgements go through the worker's consumer group.
 */
final class WorkerStreams {

    private final RedisStreams redis;
    private final String provider;
    private final AudioBlobStore blobs;
    private final ConsumerGroup group;
    private final WorkerSettings settings;

    WorkerStreams(RedisStreams redis, String provider, WorkerSettings settings) {
        this.redis = redis;
        this.provider = provider;
        this.blobs = new AudioBlobStore(redis);
        this.group = new ConsumerGroup(redis, StreamKeys.audioStream(provider), StreamKeys.workerGroup(provider),
                settings.consumerName());
        this.settings = settings;
    }

    String stream() {
        return group.stream();
    }

    /** This worker's consumer group, with its chores. */
    ConsumerGroup group() {
        return group;
    }

    RedisStreams redis() {
        return redis;
    }

    void writeHypothesis(Hypothesis hypothesis) {
        redis.add(StreamKeys.HYPOTHESES, HypothesisCodec.encode(hypothesis));
    }

    void reroute(AudioChunk chunk, String provider) {
        redis.add(StreamKeys.audioStream(provider), AudioChunkCodec.encode(chunk));
    }

    void logFailure(FailureEvent event) {
        redis.addCapped(StreamKeys.FAILURES, event.encode(), settings.failuresMaxLen());
    }

    void deadLetter(AudioChunk chunk, String failedProvider, String finalError, long now) {
        redis.addCapped(StreamKeys.DEAD, DeadLetterCodec.encode(chunk, failedProvider, finalError, now),
                settings.deadMaxLen());
    }

    void deadLetterUndecodable(Map<String, byte[]> raw, String failedProvider, String finalError, long now) {
        EntryFields fields = DeadLetterCodec.encodeUndecodable(raw, failedProvider, finalError, now);
        redis.addCapped(StreamKeys.DEAD, fields, settings.deadMaxLen());
    }

    /** The chunk's audio: inline, or loaded from its blob; {@code null} when the blob is gone. */
    byte[] audioOf(AudioChunk chunk) {
        return chunk.audio() != null ? chunk.audio() : blobs.load(chunk.audioRef());
    }

    /**
     * Drops the chunk's reference to its blob, once its path ends here (transcript or dead letter).
     * A reference belongs to the provider the router sent the entry to: this one on a first attempt,
     * the {@code original_provider} of a re-routed entry. So a redelivered entry never releases twice,
     * and each entry of a consensus fan-out, re-routed or not, releases its own reference (ADR 0006).
     */
    void releaseAudio(AudioChunk chunk) {
        if (chunk.audioRef() != null) {
            boolean rerouted = chunk.attempt() > 1 && chunk.originalProvider() != null;
            blobs.release(chunk.audioRef(), rerouted ? chunk.originalProvider() : provider);
        }
    }
}
