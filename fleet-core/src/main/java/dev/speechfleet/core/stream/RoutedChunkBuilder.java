package dev.speechfleet.core.stream;

import java.util.List;

/**
 * A {@link ChunkBuilder} for the entries of a chunk on its way to a transcript ({@link AudioChunk},
 * {@link Hypothesis}): also its language, attempt, consensus partners, when the router enqueued it
 * and its trace context.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class RoutedChunkBuilder<B extends RoutedChunkBuilder<B>> extends ChunkBuilder<B> {

    String language;
    int attempt = 1;
    List<String> consensusProviders = List.of();
    long enqueuedAtMillis;
    String traceparent;

    RoutedChunkBuilder() {
    }

    /** BCP-47, for example {@code en}. */
    public B language(String language) {
        this.language = language;
        return self();
    }

    /** 1 for the router's choice (the default), +1 per re-route. */
    public B attempt(int attempt) {
        this.attempt = attempt;
        return self();
    }

    /** The providers a consensus chunk went to; empty (the default) in single mode. */
    public B consensusProviders(List<String> consensusProviders) {
        this.consensusProviders = consensusProviders;
        return self();
    }

    /** Epoch ms when the router first enqueued the chunk. */
    public B enqueuedAtMillis(long enqueuedAtMillis) {
        this.enqueuedAtMillis = enqueuedAtMillis;
        return self();
    }

    /** W3C trace context, or {@code null}. */
    public B traceparent(String traceparent) {
        this.traceparent = traceparent;
        return self();
    }
}
