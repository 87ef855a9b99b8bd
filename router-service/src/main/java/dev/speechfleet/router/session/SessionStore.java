package dev.speechfleet.router.session;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Session state in {@code session:{session_id}} (hash with TTL, refreshed on every change). The seq
 * counter lives there too and is taken atomically, so an old socket's last utterance and a resumed
 * socket never get the same seq. Every script touches the one session key.
 */
public final class SessionStore {

    private static final String SAVE = """
            redis.call('HSET', KEYS[1], unpack(ARGV, 2))
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 1""";

    /** Takes a seq and moves the session's audio clock up to the utterance's end (never back). */
    private static final String NEXT_SEQ = """
            local next = redis.call('HINCRBY', KEYS[1], 'next_seq', 1)
            local heard = tonumber(redis.call('HGET', KEYS[1], 'audio_ms') or '0')
            if tonumber(ARGV[2]) > heard then redis.call('HSET', KEYS[1], 'audio_ms', ARGV[2]) end
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return next - 1""";

    /** Moves the session's audio clock forward, never back (a late close must not rewind a resumed socket). */
    private static final String ADVANCE_CLOCK = """
            local heard = tonumber(redis.call('HGET', KEYS[1], 'audio_ms') or '0')
            if tonumber(ARGV[2]) > heard then redis.call('HSET', KEYS[1], 'audio_ms', ARGV[2]) end
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 1""";

    private final RedisStreams redis;
    private final Duration ttl;

    public SessionStore(RedisStreams redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    /** Writes a new session's parameters. */
    public void create(String sessionId, String deviceId, Map<String, String> parameters, long nowMillis) {
        Map<String, String> fields = new HashMap<>(parameters);
        fields.put("device_id", deviceId);
        fields.put("next_seq", "0");
        fields.put("status", "active");
        fields.put("created_at", Long.toString(nowMillis));
        fields.put("updated_at", Long.toString(nowMillis));
        save(sessionId, fields);
    }

    /** Marks a resumed session active again with the parameters of its new start. */
    public void resume(String sessionId, Map<String, String> parameters, long nowMillis) {
        Map<String, String> fields = new HashMap<>(parameters);
        fields.put("status", "active");
        fields.put("updated_at", Long.toString(nowMillis));
        save(sessionId, fields);
    }

    public Optional<StoredSession> load(String sessionId) {
        Response reply = redis.send(Request.cmd(Command.HGETALL).arg(StreamKeys.session(sessionId)));
        Map<String, String> fields = new HashMap<>();
        if (reply != null && reply.isMap()) {
            reply.getKeys().forEach(k -> fields.put(k, reply.get(k).toString()));
        } else if (reply != null) {
            for (int i = 0; i + 1 < reply.size(); i += 2) {
                fields.put(reply.get(i).toString(), reply.get(i + 1).toString());
            }
        }
        if (!fields.containsKey("device_id")) {
            return Optional.empty();
        }
        return Optional.of(new StoredSession(sessionId, fields.get("device_id"),
                Long.parseLong(fields.getOrDefault("next_seq", "0")), "ended".equals(fields.get("status")),
                Long.parseLong(fields.getOrDefault("audio_ms", "0"))));
    }

    /** Takes the next seq of the session for an utterance ending at {@code endMs} of session audio. */
    public long takeSeq(String sessionId, long endMs) {
        return redis.send(Request.cmd(Command.EVAL).arg(NEXT_SEQ).arg(1).arg(StreamKeys.session(sessionId))
                .arg(ttl.toMillis()).arg(endMs)).toLong();
    }

    /** Records how much session audio a socket delivered, so that a resume continues the session's clock. */
    public void savePosition(String sessionId, long audioMs) {
        redis.send(Request.cmd(Command.EVAL).arg(ADVANCE_CLOCK).arg(1).arg(StreamKeys.session(sessionId))
                .arg(ttl.toMillis()).arg(audioMs));
    }

    /** Marks the session ended (it stays resumable for replay until its TTL). */
    public void end(String sessionId, long nowMillis) {
        save(sessionId, Map.of("status", "ended", "updated_at", Long.toString(nowMillis)));
    }

    private void save(String sessionId, Map<String, String> fields) {
        Request request = Request.cmd(Command.EVAL).arg(SAVE).arg(1).arg(StreamKeys.session(sessionId))
                .arg(ttl.toMillis());
        fields.forEach((k, v) -> request.arg(k).arg(v));
        redis.send(request);
    }

    static Map<String, String> parameters(int sampleRate, String encoding, String language, String policy,
            List<String> consensus) {
        return Map.of("sample_rate", Integer.toString(sampleRate), "encoding", encoding, "language", language,
                "policy", policy, "consensus", String.join(",", consensus));
    }
}
