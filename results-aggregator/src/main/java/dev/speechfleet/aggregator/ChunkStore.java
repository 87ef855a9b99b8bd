package dev.speechfleet.aggregator;

import dev.speechfleet.core.stream.StreamKeys;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speechfleet.core.redis.RedisHashes;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.ConsensusStateFields;
import dev.speechfleet.core.stream.EntryFields;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.MalformedEntryException;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shared state of open consensus chunks in Redis: the hypotheses each chunk collected (one per
 * provider, first wins) with its deadline, and the global deadline index that lets any instance
 * finish a chunk whose deadline passed. Every multi-key script touches keys of one session's slot;
 * the deadline index is only used in single-key commands (ADR 0040).
 */
final class ChunkStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() {
    };

    /**
     * KEYS: chunk state, emitted marker. ARGV: provider field, hypothesis, deadline, state TTL, hard
     * deadline. Refuses once the chunk is emitted; otherwise keeps the first hypothesis per provider
     * and the first deadlines, and returns everything collected.
     */
    private static final String COLLECT = ConsensusStateFields.LUA_LOCALS + """
            local marker = redis.call('GET', KEYS[2])
            if marker then return {'emitted', marker} end
            local added = redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
            redis.call('HSETNX', KEYS[1], DEADLINE, ARGV[3])
            redis.call('HSETNX', KEYS[1], HARD_DEADLINE, ARGV[5])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            return {added == 1 and 'added' or 'duplicate', redis.call('HGETALL', KEYS[1])}""";

    /** KEYS: deadline index. ARGV: member, now, lease end. Takes an expired chunk for one lease period. */
    private static final String CLAIM_EXPIRED = """
            local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
            if not score or tonumber(score) > tonumber(ARGV[2]) then return 0 end
            redis.call('ZADD', KEYS[1], 'XX', ARGV[3], ARGV[1])
            return 1""";

    /** What a chunk holds after a hypothesis was offered to it. */
    sealed interface Collected {
    }

    /** The chunk's result was already written; {@code marker} says by whom. */
    record AlreadyEmitted(EmittedMarker marker) implements Collected {
    }

    /**
     * The chunk is open.
     *
     * @param added whether the offered hypothesis was new for its provider
     * @param state everything collected so far, with the chunk's deadlines
     */
    record Open(boolean added, State state) implements Collected {
    }

    /**
     * What an open chunk holds.
     *
     * @param hypotheses   everything collected so far; empty when the chunk has no state (emitted or expired)
     * @param deadline     when the chunk is decided with what it has (epoch ms): first hypothesis + timeout
     * @param hardDeadline how long a chunk with no successful hypothesis waits for missing providers:
     *                     first hypothesis + hard cap
     */
    record State(List<Hypothesis> hypotheses, long deadline, long hardDeadline) {

        /** Whether some provider answered with a transcript. */
        boolean hasAnswer() {
            return hypotheses.stream().anyMatch(Hypothesis::ok);
        }
    }

    private final RedisStreams redis;
    private final AggregatorSettings settings;

    ChunkStore(RedisStreams redis, AggregatorSettings settings) {
        this.redis = redis;
        this.settings = settings;
    }

    /** Offers a hypothesis to its chunk; a chunk's first hypothesis sets its deadlines. */
    Collected collect(Hypothesis h, long nowMillis) {
        long deadline = nowMillis + settings.consensusTimeout().toMillis();
        long hardDeadline = nowMillis + settings.consensusHardCap().toMillis();
        Response reply = redis.send(Request.cmd(Command.EVAL).arg(COLLECT).arg(2)
                .arg(StreamKeys.aggregatorChunk(h.sessionId(), h.seq()))
                .arg(StreamKeys.aggregatorEmitted(h.sessionId(), h.seq()))
                .arg(ConsensusStateFields.hypothesis(h.provider())).arg(toJson(h)).arg(deadline)
                .arg(settings.chunkStateTtl().toMillis()).arg(hardDeadline));
        String status = reply.get(0).toString();
        if (status.equals("emitted")) {
            return new AlreadyEmitted(EmittedMarker.parse(reply.get(1).toString()));
        }
        return new Open(status.equals("added"), stateOf(RedisHashes.fields(reply.get(1))));
    }

    /** What an open chunk collected; no hypotheses when it has no state (emitted or expired). */
    State state(DeadlineMember chunk) {
        return stateOf(RedisHashes.getAll(redis, StreamKeys.aggregatorChunk(chunk.sessionId(), chunk.seq())));
    }

    /** The chunk's result marker, if its result was written. */
    Optional<EmittedMarker> emittedMarker(DeadlineMember chunk) {
        Response reply = redis.send(Request.cmd(Command.GET).arg(StreamKeys.aggregatorEmitted(chunk.sessionId(),
                chunk.seq())));
        return reply == null ? Optional.empty() : Optional.of(EmittedMarker.parse(reply.toString()));
    }

    /** Puts the chunk in the deadline index unless it is there already (its first deadline stays). */
    void scheduleDeadline(String sessionId, long seq, long deadline) {
        redis.send(Request.cmd(Command.ZADD).arg(StreamKeys.AGGREGATOR_DEADLINES).arg("NX").arg(deadline)
                .arg(new DeadlineMember(sessionId, seq).encode()));
    }

    /** Chunks whose deadline (or a dead instance's lease) has passed, oldest first. */
    List<String> dueMembers(long nowMillis, int limit) {
        Response reply = redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(StreamKeys.AGGREGATOR_DEADLINES).arg("-inf")
                .arg(nowMillis).arg("LIMIT").arg(0).arg(limit));
        List<String> members = new ArrayList<>();
        reply.forEach(member -> members.add(member.toString()));
        return members;
    }

    /** Takes an expired chunk for the lease period; false when another instance took it first. */
    boolean claimExpired(String member, long nowMillis) {
        long leaseEnd = nowMillis + settings.deadlineLease().toMillis();
        return redis.send(Request.cmd(Command.EVAL).arg(CLAIM_EXPIRED).arg(1).arg(StreamKeys.AGGREGATOR_DEADLINES)
                .arg(member).arg(nowMillis).arg(leaseEnd)).toLong() == 1;
    }

    /** Moves a chunk this instance claimed to a later decision time (its hard deadline). */
    void postpone(String member, long until) {
        redis.send(Request.cmd(Command.ZADD).arg(StreamKeys.AGGREGATOR_DEADLINES).arg("XX").arg(until).arg(member));
    }

    /** Removes a decided chunk from the deadline index. */
    void forgetDeadline(String sessionId, long seq) {
        forgetDeadline(new DeadlineMember(sessionId, seq).encode());
    }

    void forgetDeadline(String member) {
        redis.send(Request.cmd(Command.ZREM).arg(StreamKeys.AGGREGATOR_DEADLINES).arg(member));
    }

    private static State stateOf(Map<String, String> state) {
        long deadline = parseTime(state.get(ConsensusStateFields.DEADLINE));
        // State written before the hard cap existed has none: such a chunk is not extended.
        String hard = state.get(ConsensusStateFields.HARD_DEADLINE);
        return new State(hypothesesOf(state), deadline, hard == null ? deadline : parseTime(hard));
    }

    private static long parseTime(String value) {
        return value == null ? 0 : Long.parseLong(value);
    }

    private static List<Hypothesis> hypothesesOf(Map<String, String> state) {
        List<Hypothesis> hypotheses = new ArrayList<>();
        state.forEach((field, value) -> {
            if (field.startsWith(ConsensusStateFields.HYPOTHESIS_PREFIX)) {
                hypotheses.add(fromJson(value));
            }
        });
        return hypotheses;
    }

    static String toJson(Hypothesis h) {
        Map<String, String> fields = new LinkedHashMap<>();
        HypothesisCodec.encode(h).asMap().forEach((k, v) -> fields.put(k, new String(v, StandardCharsets.UTF_8)));
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a hypothesis of " + h.chunkId(), e);
        }
    }

    static Hypothesis fromJson(String json) {
        try {
            Map<String, byte[]> fields = new LinkedHashMap<>();
            JSON.readValue(json, STRING_MAP).forEach((k, v) -> fields.put(k, v.getBytes(StandardCharsets.UTF_8)));
            return HypothesisCodec.decode(EntryFields.of(fields));
        } catch (JsonProcessingException e) {
            throw new MalformedEntryException("stored hypothesis is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
