package dev.speechfleet.core.consumer;

import dev.speechfleet.core.redis.StreamEntry;

/**
 * What a {@link ConsumerLoop} does with each entry it reads: the listener of one subscription, in the
 * shape of Spring Data Redis' {@code StreamListener}. The loop acknowledges the entry when the handler
 * says it reached its end; a handler never calls {@code XACK} itself. A handler that throws leaves
 * the entry pending: it comes back through a claim, with its delivery count raised.
 */
@FunctionalInterface
public interface EntryHandler {

    /** What the loop does with an entry once its handler returned. */
    enum Disposition {
        /** The entry reached its end (a result, a re-route, a dead letter, a dropped duplicate): acknowledge it. */
        ACKNOWLEDGE,
        /** The entry did not finish here (stopping during a backoff): leave it pending for a claim. */
        LEAVE_PENDING
    }

    /**
     * Takes one entry as far as it goes; called from the loop's handler threads (or its poller).
     *
     * @param entry      the entry; {@link StreamEntry#deleted()} when it was deleted while pending
     * @param deliveries how many times it has been delivered, this delivery included
     */
    Disposition handle(StreamEntry entry, long deliveries);
}
