package dev.speechfleet.core.stream;

/** What a failed provider call means for the chunk, and so what the worker does next. */
public enum FailureKind {
    /** Transient (429, 5xx, timeout, network): retried with backoff, then re-routed. */
    RETRYABLE,
    /** The request itself is bad (bad audio, bad parameters): re-routed at once, never retried. */
    PERMANENT,
    /** The provider refuses all work (auth, payment, quota, open breaker): re-routed at once. */
    UNAVAILABLE,
    /** The worker gave up on the entry (delivered too often, audio gone, malformed entry). */
    POISON
}
