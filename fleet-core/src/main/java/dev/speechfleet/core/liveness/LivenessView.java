package dev.speechfleet.core.liveness;

/** A background-refreshed answer to "does anyone consume this provider?"; reading it never touches Redis. */
public interface LivenessView {

    /** Whether the view was refreshed recently enough to act on; a view that is not current answers nothing. */
    boolean current();

    /** Whether {@code provider} had a live consumer at the last refresh. */
    boolean hasLiveConsumer(String provider);
}
