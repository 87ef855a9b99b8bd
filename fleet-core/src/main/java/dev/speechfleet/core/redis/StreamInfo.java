package dev.speechfleet.core.redis;

import java.util.List;

/** Typed replies of the stream inspection commands ({@code XINFO}, {@code XPENDING}, {@code XAUTOCLAIM}). */
public final class StreamInfo {

    private StreamInfo() {
    }

    /**
     * One line of {@code XINFO GROUPS}.
     *
     * @param name            group name
     * @param consumers       number of consumers
     * @param pending         entries delivered and not acknowledged
     * @param lastDeliveredId id of the last entry delivered to the group
     * @param lag             entries not yet delivered, or -1 when Redis cannot tell
     */
    public record Group(String name, long consumers, long pending, String lastDeliveredId, long lag) {
    }

    /**
     * One line of {@code XINFO CONSUMERS}.
     *
     * @param name     consumer name
     * @param pending  entries it holds
     * @param idleMs   milliseconds since it last interacted with the group
     */
    public record Consumer(String name, long pending, long idleMs) {
    }

    /**
     * One line of the extended {@code XPENDING} form.
     *
     * @param id         entry id
     * @param consumer   who holds it
     * @param idleMs     milliseconds since it was last delivered
     * @param deliveries how many times it was delivered
     */
    public record Pending(String id, String consumer, long idleMs, long deliveries) {
    }

    /**
     * The summary form of {@code XPENDING}.
     *
     * @param count    entries pending in the group
     * @param lowestId the oldest pending id, or {@code null} when nothing is pending
     */
    public record PendingSummary(long count, String lowestId) {
    }

    /**
     * The reply of {@code XAUTOCLAIM}.
     *
     * @param nextStart  the cursor for the next call ({@code 0-0} when the scan is complete)
     * @param claimed    entries now owned by the caller
     * @param deletedIds pending ids whose entries no longer exist (Redis removed them from the PEL)
     */
    public record AutoClaim(String nextStart, List<StreamEntry> claimed, List<String> deletedIds) {
    }
}
