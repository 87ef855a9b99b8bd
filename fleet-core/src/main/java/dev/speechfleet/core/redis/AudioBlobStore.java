package dev.speechfleet.core.redis;

import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;

/**
 * Audio stored once for several stream entries ({@code audio:blob:{chunk_id}}), with a reference
 * count and the set of holders that released it, all in the blob's hash slot. The blob is deleted when
 * the last holder releases it; a holder that releases again (its entry was redelivered after the
 * release, before its acknowledgement) changes nothing (ADR 0006). The TTL is only a safety net far
 * beyond any backlog.
 */
public final class AudioBlobStore {

    /** KEYS: blob, reference count, released holders. ARGV: audio, references, safety TTL. */
    private static final String STORE = """
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
            redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
            redis.call('DEL', KEYS[3])
            return 1""";

    /**
     * KEYS: blob, reference count, released holders. ARGV: holder. Drops the holder's reference once:
     * a holder already in the released set leaves the count as it is. Returns the references left.
     */
    private static final String RELEASE = """
            local refs = redis.call('GET', KEYS[2])
            if not refs then return 0 end
            if redis.call('SADD', KEYS[3], ARGV[1]) == 0 then return tonumber(refs) end
            local ttl = redis.call('PTTL', KEYS[2])
            if ttl > 0 then redis.call('PEXPIRE', KEYS[3], ttl) end
            local left = redis.call('DECR', KEYS[2])
            if left <= 0 then redis.call('DEL', KEYS[1], KEYS[2], KEYS[3]) end
            return left""";

    private final RedisStreams redis;

    public AudioBlobStore(RedisStreams redis) {
        this.redis = redis;
    }

    /** Stores {@code pcm} for {@code references} entries; returns the reference to put in {@code audio_ref}. */
    public String store(String chunkId, byte[] pcm, int references, Duration safetyTtl) {
        if (references < 1) {
            throw new IllegalArgumentException("references must be at least 1");
        }
        redis.send(Request.cmd(Command.EVAL).arg(STORE).arg(3)
                .arg(StreamKeys.audioBlob(chunkId)).arg(StreamKeys.audioBlobRefs(chunkId))
                .arg(StreamKeys.audioBlobReleased(chunkId)).arg(pcm).arg(references).arg(safetyTtl.toMillis()));
        return chunkId;
    }

    /** The audio, or {@code null} when the blob is gone. */
    public byte[] load(String audioRef) {
        Response reply = redis.send(Request.cmd(Command.GET).arg(StreamKeys.audioBlob(audioRef)));
        return reply == null ? null : reply.toBytes();
    }

    /**
     * Drops {@code holder}'s reference, however often it is called; deletes the blob with the
     * last one. A holder is the provider the router gave the reference to (a re-routed entry keeps its
     * first provider's reference). Returns the references left (0 when the blob is gone).
     */
    public long release(String audioRef, String holder) {
        return redis.send(Request.cmd(Command.EVAL).arg(RELEASE).arg(3)
                .arg(StreamKeys.audioBlob(audioRef)).arg(StreamKeys.audioBlobRefs(audioRef))
                .arg(StreamKeys.audioBlobReleased(audioRef)).arg(holder)).toLong();
    }
}
