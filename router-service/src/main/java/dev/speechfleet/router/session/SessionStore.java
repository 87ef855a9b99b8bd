package dev.speechfleet.router.session;

import dev.speechfleet.core.redis.RedisHashes;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.RedisUnavailableException;
import dev.speechfleet.core.stream.SessionFields;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.router.config.RouterConfig;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jakarta.inject.Singleton;

/**
 * Session state in {@code session:{session_id}} (hash with TTL). The seq counter lives there and is
 * taken atomically, so an old socket's last utterance and a resumed socket never get the same seq;
 * a seq is only taken from a session that exists, so an expired hash never hands out seq 0 again.
 * {@code audio_ms} is the session audio up to which everything is dispatched: it moves forward only
 * after an utterance's entries are in Redis (and over silence), so a device that resumes after a
 * crash resends the rest. Open sessions refresh the TTL with their checkpoints. Every script
 * touches the one session key.
 */
@Singleton
public final class SessionStore {

    private static final String SAVE = """
            redis.call('HSET', KEYS[1], unpack(ARGV, 2))
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 1""";

    /**
     * KEYS: session. ARGV: TTL. Takes the next seq and marks it as being dispatched; -1 when the
     * session does not exist (expired, lost).
     */
    private static final String NEXT_SEQ = SessionFields.LUA_LOCALS + """
            if redis.call('HEXISTS', KEYS[1], DEVICE_ID) == 0 then return -1 end
            local next = redis.call('HINCRBY', KEYS[1], NEXT_SEQ, 1)
            redis.call('HSET', KEYS[1], DISPATCHING, next - 1)
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return next - 1""";

    /**
     * KEYS: session. ARGV: TTL, audio ms, seq. The seq's entries are written: the position moves to
     * the utterance's end (never back) and the seq is no longer being dispatched; 0 when the session is gone.
     */
    private static final String CONFIRM = SessionFields.LUA_LOCALS + """
            if redis.call('HEXISTS', KEYS[1], DEVICE_ID) == 0 then return 0 end
            local heard = tonumber(redis.call('HGET', KEYS[1], AUDIO_MS) or '0')
            if tonumber(ARGV[2]) > heard then redis.call('HSET', KEYS[1], AUDIO_MS, ARGV[2]) end
            if redis.call('HGET', KEYS[1], DISPATCHING) == ARGV[3] then redis.call('HDEL', KEYS[1], DISPATCHING) end
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 1""";

    /** KEYS: session. ARGV: seq. Forgets a seq that was being dispatched once it is answered otherwise. */
    private static final String FORGET_DISPATCHING = SessionFields.LUA_LOCALS + """
            if redis.call('HGET', KEYS[1], DISPATCHING) == ARGV[1] then return redis.call('HDEL', KEYS[1], DISPATCHING) end
            return 0""";

    /**
     * KEYS: session. ARGV: TTL, audio ms. Moves the dispatched-audio position forward, never back (a
     * late close must not rewind a resumed socket), and refreshes the TTL; 0 when the session is gone.
     */
    private static final String ADVANCE_CLOCK = SessionFields.LUA_LOCALS + """
            if redis.call('HEXISTS', KEYS[1], DEVICE_ID) == 0 then return 0 end
            local heard = tonumber(redis.call('HGET', KEYS[1], AUDIO_MS) or '0')
            if tonumber(ARGV[2]) > heard then redis.call('HSET', KEYS[1], AUDIO_MS, ARGV[2]) end
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 1""";

    /**
     * KEYS: session. ARGV: TTL, next seq, audio ms, then field/value pairs. Writes a session that
     * vanished back from what its socket knows; next_seq and audio_ms never move back.
     */
    private static final String RECREATE = SessionFields.LUA_LOCALS + """
            redis.call('HSET', KEYS[1], unpack(ARGV, 4))
            local seq = tonumber(redis.call('HGET', KEYS[1], NEXT_SEQ) or '0')
            if tonumber(ARGV[2]) > seq then redis.call('HSET', KEYS[1], NEXT_SEQ, ARGV[2]) end
            local heard = tonumber(redis.call('HGET', KEYS[1], AUDIO_MS) or '0')
            if tonumber(ARGV[3]) > heard then redis.call('HSET', KEYS[1], AUDIO_MS, ARGV[3]) end
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            return 1""";

    private final RedisStreams redis;
    private final Duration ttl;

    SessionStore(RedisStreams redis, RouterConfig config) {
        this.redis = redis;
        this.ttl = config.session().ttl();
    }

    /** Writes a new session's parameters. */
    public void create(String sessionId, String deviceId, Map<String, String> parameters, long nowMillis) {
        Map<String, String> fields = new HashMap<>(parameters);
        fields.put(SessionFields.DEVICE_ID, deviceId);
        fields.put(SessionFields.NEXT_SEQ, "0");
        fields.put(SessionFields.STATUS, SessionFields.ACTIVE);
        fields.put(SessionFields.CREATED_AT, Long.toString(nowMillis));
        fields.put(SessionFields.UPDATED_AT, Long.toString(nowMillis));
        save(sessionId, fields);
    }

    /** Marks a resumed session active again with the parameters of its new start. */
    public void resume(String sessionId, Map<String, String> parameters, long nowMillis) {
        Map<String, String> fields = new HashMap<>(parameters);
        fields.put(SessionFields.STATUS, SessionFields.ACTIVE);
        fields.put(SessionFields.UPDATED_AT, Long.toString(nowMillis));
        save(sessionId, fields);
    }

    public Optional<StoredSession> load(String sessionId) {
        Map<String, String> fields = RedisHashes.getAll(redis, StreamKeys.session(sessionId));
        if (!fields.containsKey(SessionFields.DEVICE_ID)) {
            return Optional.empty();
        }
        String dispatching = fields.get(SessionFields.DISPATCHING);
        return Optional.of(new StoredSession(sessionId, fields.get(SessionFields.DEVICE_ID),
                Long.parseLong(fields.getOrDefault(SessionFields.NEXT_SEQ, "0")),
                SessionFields.ENDED.equals(fields.get(SessionFields.STATUS)),
                Long.parseLong(fields.getOrDefault(SessionFields.AUDIO_MS, "0")),
                dispatching == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(dispatching))));
    }

    /** Takes the next seq of the session; empty when the session no longer exists. */
    public OptionalLong takeSeq(String sessionId) {
        long seq = redis.send(Request.cmd(Command.EVAL).arg(NEXT_SEQ).arg(1).arg(StreamKeys.session(sessionId))
                .arg(ttl.toMillis())).toLong();
        return seq < 0 ? OptionalLong.empty() : OptionalLong.of(seq);
    }

    /**
     * Records that the session's audio up to {@code audioMs} is dispatched (or was silence), so that a
     * resume continues the clock there; refreshes the TTL. False when the session no longer exists.
     */
    public boolean savePosition(String sessionId, long audioMs) {
        return redis.send(advanceClock(sessionId, audioMs)).toLong() == 1;
    }

    /** The entries of utterance {@code seq} ending at {@code endMs} are written: moves the position there. */
    public boolean confirm(String sessionId, long seq, long endMs) {
        return redis.send(Request.cmd(Command.EVAL).arg(CONFIRM).arg(1).arg(StreamKeys.session(sessionId))
                .arg(ttl.toMillis()).arg(endMs).arg(seq)).toLong() == 1;
    }

    /** A seq left being dispatched by a router that stopped has been answered with an error. */
    public void forgetDispatching(String sessionId, long seq) {
        redis.send(Request.cmd(Command.EVAL).arg(FORGET_DISPATCHING).arg(1).arg(StreamKeys.session(sessionId))
                .arg(seq));
    }

    /**
     * Saves the positions of many open sessions at once (pipelined), refreshing their TTLs; returns
     * the sessions that no longer exist.
     */
    public Set<String> checkpoint(Map<String, Long> positions) {
        Map<String, CompletableFuture<Response>> replies = new HashMap<>();
        positions.forEach((id, ms) -> replies.put(id, redis.client().send(advanceClock(id, ms)).toCompletionStage()
                .toCompletableFuture()));
        Set<String> missing = new HashSet<>();
        long deadline = System.nanoTime() + redis.commandTimeout().toNanos();
        for (Map.Entry<String, CompletableFuture<Response>> reply : replies.entrySet()) {
            try {
                Response r = reply.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (r == null || r.toLong() == 0) {
                    missing.add(reply.getKey());
                }
            } catch (ExecutionException | TimeoutException e) {
                throw new RedisUnavailableException("checkpoint of " + reply.getKey() + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RedisUnavailableException("interrupted while saving checkpoints", e);
            }
        }
        return missing;
    }

    /**
     * Writes a session that vanished from Redis (expired while its socket was open, or Redis lost its
     * data) back from what its socket knows, with seqs going on from {@code nextSeq}.
     */
    public void recreate(String sessionId, String deviceId, Map<String, String> parameters, long nextSeq, long audioMs,
            long nowMillis) {
        Request request = Request.cmd(Command.EVAL).arg(RECREATE).arg(1).arg(StreamKeys.session(sessionId))
                .arg(ttl.toMillis()).arg(nextSeq).arg(audioMs);
        Map<String, String> fields = new HashMap<>(parameters);
        fields.put(SessionFields.DEVICE_ID, deviceId);
        fields.put(SessionFields.STATUS, SessionFields.ACTIVE);
        fields.put(SessionFields.UPDATED_AT, Long.toString(nowMillis));
        fields.put(SessionFields.RECREATED_AT, Long.toString(nowMillis));
        fields.forEach((k, v) -> request.arg(k).arg(v));
        redis.send(request);
    }

    private Request advanceClock(String sessionId, long audioMs) {
        return Request.cmd(Command.EVAL).arg(ADVANCE_CLOCK).arg(1).arg(StreamKeys.session(sessionId))
                .arg(ttl.toMillis()).arg(audioMs);
    }

    /** Marks the session ended (it stays resumable for replay until its TTL). */
    public void end(String sessionId, long nowMillis) {
        save(sessionId, Map.of(SessionFields.STATUS, SessionFields.ENDED, SessionFields.UPDATED_AT,
                Long.toString(nowMillis)));
    }

    private void save(String sessionId, Map<String, String> fields) {
        Request request = Request.cmd(Command.EVAL).arg(SAVE).arg(1).arg(StreamKeys.session(sessionId))
                .arg(ttl.toMillis());
        fields.forEach((k, v) -> request.arg(k).arg(v));
        redis.send(request);
    }

    static Map<String, String> parameters(int sampleRate, String encoding, String language, String policy,
            List<String> consensus) {
        return Map.of(SessionFields.SAMPLE_RATE, Integer.toString(sampleRate), SessionFields.ENCODING, encoding,
                SessionFields.LANGUAGE, language, SessionFields.POLICY, policy, SessionFields.CONSENSUS,
                String.join(",", consensus));
    }
}
