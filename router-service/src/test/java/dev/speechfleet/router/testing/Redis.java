package dev.speechfleet.router.testing;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;

/** Redis inspection for router tests. */
public final class Redis {

    public static final List<String> PROVIDERS = List.of("whisper", "deepgram", "assemblyai", "parakeet");

    private Redis() {
    }

    public static void flush(RedisStreams redis) {
        redis.send(Request.cmd(Command.FLUSHALL));
    }

    /** Every audio entry of a session on any provider stream, decoded. */
    public static List<AudioChunk> chunksOf(RedisStreams redis, String sessionId) {
        List<AudioChunk> chunks = new ArrayList<>();
        for (String provider : PROVIDERS) {
            for (StreamEntry e : redis.range(StreamKeys.audioStream(provider), "-", "+", 10_000)) {
                AudioChunk chunk = AudioChunkCodec.decode(e.fields());
                if (chunk.sessionId().equals(sessionId)) {
                    chunks.add(chunk);
                }
            }
        }
        return chunks;
    }

    /** Connections the server has open now ({@code CLIENT LIST} lines). */
    public static int connectedClients(RedisStreams redis) {
        String list = redis.send(Request.cmd(Command.CLIENT).arg("LIST")).toString();
        return (int) list.lines().filter(l -> !l.isBlank()).count();
    }
}
