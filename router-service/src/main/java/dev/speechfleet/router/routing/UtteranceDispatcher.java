package dev.speechfleet.router.routing;

import dev.speechfleet.core.redis.AudioBlobStore;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.tracing.EntryTracing;
import dev.speechfleet.router.config.RouterConfig;
import dev.speechfleet.router.vad.Utterance;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns an utterance into audio entries: chooses providers from the last figures snapshot (no Redis
 * read) and {@code XADD}s to {@code audio:stream:{provider}}; consensus fans out with the audio stored
 * once as a blob.
 */
@Singleton
public final class UtteranceDispatcher {

    /**
     * Who spoke and how the session routes.
     *
     * @param sessionId  the session
     * @param deviceId   the device
     * @param sampleRate PCM sample rate
     * @param language   language of the speech
     * @param policy     routing policy in single mode
     * @param consensus  providers of a consensus session, empty in single mode
     * @param allowed    the providers the device may use, empty for every provider
     * @param keyterms   the session's key terms, carried on every entry (ADR 0026)
     */
    public record Route(String sessionId, String deviceId, int sampleRate, String language, RoutingPolicy policy,
            List<String> consensus, List<String> allowed, List<String> keyterms) {

        public Route {
            consensus = List.copyOf(consensus);
            allowed = allowed == null ? List.of() : List.copyOf(allowed);
            keyterms = keyterms == null ? List.of() : List.copyOf(keyterms);
        }

        /** A route of a device that may use every provider, without key terms. */
        public Route(String sessionId, String deviceId, int sampleRate, String language, RoutingPolicy policy,
                List<String> consensus) {
            this(sessionId, deviceId, sampleRate, language, policy, consensus, List.of(), List.of());
        }
    }

    private final RedisStreams redis;
    private final AudioBlobStore blobs;
    private final RouteChooser chooser;
    private final Supplier<FiguresSnapshot> figures;
    private final Duration blobSafetyTtl;
    private final EntryTracing tracing;

    public UtteranceDispatcher(RedisStreams redis, RouteChooser chooser,
            Supplier<FiguresSnapshot> figures, Duration blobSafetyTtl) {
        this(redis, chooser, figures, blobSafetyTtl, EntryTracing.off());
    }

    /** @param tracing each utterance's dispatch starts a trace; its entries carry the span's traceparent */
    public UtteranceDispatcher(RedisStreams redis, RouteChooser chooser,
            Supplier<FiguresSnapshot> figures, Duration blobSafetyTtl, EntryTracing tracing) {
        this.tracing = tracing;
        this.redis = redis;
        this.blobs = new AudioBlobStore(redis);
        this.chooser = chooser;
        this.figures = figures;
        this.blobSafetyTtl = blobSafetyTtl;
    }

    /** The router's dispatcher: routes on the last live figures, blobs kept {@code router.session.blob-safety-ttl}. */
    @Inject
    UtteranceDispatcher(RedisStreams redis, RouteChooser chooser, LiveFigures figures, RouterConfig config,
            EntryTracing tracing) {
        this(redis, chooser, figures::snapshot, config.session().blobSafetyTtl(), tracing);
    }

    /**
     * Enqueues utterance {@code seq}, in the span that starts its trace; returns the decision that was
     * written on the entries.
     */
    public RouteDecision dispatch(Route route, long seq, Utterance utterance) {
        Span span = tracing.startRoot("dispatch utterance", SpanKind.PRODUCER);
        span.setAttribute("fleet.session_id", route.sessionId());
        span.setAttribute("fleet.seq", seq);
        try {
            FiguresSnapshot snapshot = figures.get();
            String traceparent = EntryTracing.traceparent(span, null);
            RouteDecision decision = route.consensus().isEmpty() ? single(route, seq, utterance, snapshot, traceparent)
                    : consensus(route, seq, utterance, snapshot, traceparent);
            span.setAttribute("fleet.providers", String.join(",", decision.providers()));
            span.setAttribute("fleet.policy", decision.policy());
            span.setAttribute("fleet.route_reason", decision.kind().tag());
            return decision;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    private RouteDecision single(Route route, long seq, Utterance utterance, FiguresSnapshot snapshot,
            String traceparent) {
        RouteChooser allowed = route.allowed().isEmpty() ? chooser : chooser.restrictedTo(route.allowed());
        RouteDecision decision = allowed.single(route.policy(), route.language(), route.sampleRate(), snapshot);
        AudioChunk chunk = chunk(route, seq, utterance, utterance.pcm(), null, decision, ChunkMode.SINGLE,
                traceparent);
        redis.add(StreamKeys.audioStream(decision.primary()), AudioChunkCodec.encode(chunk));
        return decision;
    }

    private RouteDecision consensus(Route route, long seq, Utterance utterance, FiguresSnapshot snapshot,
            String traceparent) {
        RouteDecision decision = chooser.consensus(route.consensus(), route.language(), route.sampleRate(), snapshot);
        String chunkId = StreamKeys.chunkId(route.sessionId(), seq);
        String ref = blobs.store(chunkId, utterance.pcm(), decision.providers().size(), blobSafetyTtl);
        AudioChunk chunk = chunk(route, seq, utterance, null, ref, decision, ChunkMode.CONSENSUS, traceparent);
        for (String provider : decision.providers()) {
            redis.add(StreamKeys.audioStream(provider), AudioChunkCodec.encode(chunk));
        }
        return decision;
    }

    private static AudioChunk chunk(Route route, long seq, Utterance utterance, byte[] audio, String audioRef,
            RouteDecision decision, ChunkMode mode, String traceparent) {
        boolean consensus = mode == ChunkMode.CONSENSUS;
        return AudioChunk.builder().utterance(route.sessionId(), route.deviceId(), seq).audio(audio).audioRef(audioRef)
                .sampleRate(route.sampleRate()).startMs(utterance.startMs()).durationMs(utterance.durationMs())
                .language(route.language()).policy(decision.policy()).routeReason(decision.reason())
                .fallbackProviders(decision.fallbacks()).originalProvider(consensus ? null : decision.primary())
                .mode(mode).consensusProviders(consensus ? decision.providers() : List.of())
                .enqueuedAtMillis(System.currentTimeMillis()).keyterms(route.keyterms()).traceparent(traceparent)
                .build();
    }
}
