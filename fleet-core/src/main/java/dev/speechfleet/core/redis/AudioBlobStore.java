package dev.speechfleet.core.redis;

import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;

/**
 * Audio stored once for several stream entries ({@code audio:blob:{chunk_id}}), with a reference
 * count in the same hash slot. The blob is deleted when the last entry referring to it releases it;
 * the TTL is only a safety net far beyond any backlog.
 */
public final class AudioBlobStore {

    private static final String STORE = """
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
            redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
            return 1""";

    private static final String RELEASE = """
            local left = redis.call('DECR', KEYS[2])
            if left <= 0 then redis.call('DEL', KEYS[1], KEYS[2]) end
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
        redis.send(Request.cmd(Command.EVAL).arg(STORE).arg(2)
                .arg(StreamKeys.audioBlob(chunkId)).arg(StreamKeys.audioBlobRefs(chunkId))
                .arg(pcm).arg(references).arg(safetyTtl.toMillis()));
        return chunkId;
    }

    /** The audio, or {@code null} when the blob is gone. */
    public byte[] load(String audioRef) {
        Response reply = redis.send(Request.cmd(Command.GET).arg(StreamKeys.audioBlob(audioRef)));
        return reply == null ? null : reply.toBytes();
    }

    /** Drops one reference; deletes the blob with the last one. Returns the references left. */
    public long release(String audioRef) {
        return redis.send(Request.cmd(Command.EVAL).arg(RELEASE).arg(2)
                .arg(StreamKeys.audioBlob(audioRef)).arg(StreamKeys.audioBlobRefs(audioRef))).toLong();
    }
}
