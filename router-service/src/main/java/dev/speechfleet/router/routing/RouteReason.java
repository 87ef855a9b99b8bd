package dev.speechfleet.router.routing;

import java.util.Locale;

/**
 * Why an utterance went where it went, in a few words: the {@code reason} tag of
 * {@code router.utterances}. The entry's {@code route_reason} says the same with the figures.
 */
public enum RouteReason {
    /** Single mode: the best-scoring live provider by the session's policy. */
    RANKED,
    /** Nothing could take it now: queued where a consumer may come (scale-from-zero first). */
    NO_LIVE_PROVIDER,
    /** Consensus: every requested provider is live. */
    CONSENSUS,
    /** Consensus: some requested providers were skipped as not live. */
    CONSENSUS_PARTIAL;

    /** The tag value. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
