package dev.speechfleet.aggregator;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.stream.EntryFields;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.stream.TranscriptResult;
import dev.speechfleet.core.stream.TranscriptResultCodec;
import dev.speechfleet.core.tracing.EntryTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a chunk's one result. The session stream entry, the stream's TTL refresh, the "emitted"
 * marker and the removal of the chunk's collected state happen in one script on one slot (all keyed
 * by {@code {session_id}}), so a result is written exactly once whatever races or crashes. The copy
 * on {@code transcription:results:all} and the notification follow outside it: at least once.
 */
final class ResultWriter {

    /**
     * KEYS: emitted marker, session results, chunk state. ARGV: source, marker TTL, stream TTL, then
     * the result's field/value pairs. Returns {1, id} when written, {0, marker} when already emitted.
     */
    private static final String EMIT_ONCE = """
            local marker = redis.call('GET', KEYS[1])
            if marker then return {0, marker} end
            local id = redis.call('XADD', KEYS[2], '*', unpack(ARGV, 4))
            redis.call('PEXPIRE', KEYS[2], ARGV[3])
            redis.call('SET', KEYS[1], ARGV[1] .. '|' .. id, 'PX', ARGV[2])
            redis.call('DEL', KEYS[3])
            return {1, id}""";

    /** The outcome of {@link #emitOnce}. */
    sealed interface Emission {
    }

    /** This call wrote {@code result} (carrying the writing span's traceparent) under {@code resultId}. */
    record Written(String resultId, TranscriptResult result) implements Emission {
    }

    /** The chunk already had a result. */
    record AlreadyEmitted(EmittedMarker marker) implements Emission {
    }

    private final RedisStreams redis;
    private final AggregatorSettings settings;
    private final EntryTracing tracing;

    ResultWriter(RedisStreams redis, AggregatorSettings settings) {
        this(redis, settings, EntryTracing.off());
    }

    /** @param tracing the write's span is a child of the result's traceparent (its hypothesis'), ADR 0075 */
    ResultWriter(RedisStreams redis, AggregatorSettings settings, EntryTracing tracing) {
        this.redis = redis;
        this.settings = settings;
        this.tracing = tracing;
    }

    /**
     * Writes the result to its session stream unless the chunk already has one, in a span of its own
     * whose context the written result carries on to the router.
     */
    Emission emitOnce(TranscriptResult result, String source) {
        Span span = tracing.startChild("aggregate", SpanKind.CONSUMER, result.traceparent());
        span.setAttribute("fleet.chunk_id", result.chunkId());
        span.setAttribute("fleet.mode", result.mode().wire());
        try {
            Emission emission = write(result.withTraceparent(EntryTracing.traceparent(span, result.traceparent())),
                    source);
            span.setAttribute("fleet.written", emission instanceof Written);
            return emission;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    private Emission write(TranscriptResult result, String source) {
        Request request = Request.cmd(Command.EVAL).arg(EMIT_ONCE).arg(3)
                .arg(StreamKeys.aggregatorEmitted(result.sessionId(), result.seq()))
                .arg(StreamKeys.sessionResults(result.sessionId()))
                .arg(StreamKeys.aggregatorChunk(result.sessionId(), result.seq()))
                .arg(source).arg(settings.emittedTtl().toMillis()).arg(settings.sessionResultsTtl().toMillis());
        for (Map.Entry<String, byte[]> field : TranscriptResultCodec.encode(result).asMap().entrySet()) {
            request.arg(field.getKey()).arg(field.getValue());
        }
        Response reply = redis.send(request);
        String value = reply.get(1).toString();
        return reply.get(0).toInteger() == 1 ? new Written(value, result)
                : new AlreadyEmitted(EmittedMarker.parse(value));
    }

    /** Copies the result to the capped monitoring stream and tells routers its session has news. */
    void announce(TranscriptResult result) {
        announce(result.sessionId(), TranscriptResultCodec.encode(result));
    }

    /**
     * Finishes the announcement of a result written earlier by a writer that crashed before it could
     * announce; false when the session stream no longer holds it.
     */
    boolean reannounce(String sessionId, EmittedMarker marker) {
        if (marker.resultId().isEmpty()) {
            return false;
        }
        List<StreamEntry> written = redis.range(StreamKeys.sessionResults(sessionId), marker.resultId(),
                marker.resultId(), 1);
        Optional<StreamEntry> entry = written.stream().filter(e -> !e.deleted()).findFirst();
        entry.ifPresent(e -> announce(sessionId, e.fields()));
        return entry.isPresent();
    }

    /** Both at once: neither depends on the other (routers read the session stream, not the copy). */
    private void announce(String sessionId, EntryFields fields) {
        redis.sendAll(List.of(RedisStreams.cappedAdd(StreamKeys.RESULTS_ALL, fields, settings.resultsAllMaxLen()),
                Request.cmd(Command.PUBLISH).arg(StreamKeys.RESULTS_NOTIFY_CHANNEL).arg(sessionId)));
    }
}
