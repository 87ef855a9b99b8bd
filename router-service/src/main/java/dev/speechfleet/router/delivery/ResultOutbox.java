package dev.speechfleet.router.delivery;

import dev.speechfleet.core.stream.TranscriptResult;
import dev.speechfleet.router.protocol.ProtocolError;
import dev.speechfleet.router.protocol.ServerMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Puts one session's results in seq order. A result arriving before its predecessors is held back;
 * once something has been held for the hold time, the missing seq is reported as
 * {@code result_missing} and delivery moves on, so a lost result never stalls the session. A seq
 * below the next one to deliver was delivered already (duplicate, re-claim, replay) and is dropped.
 * Thread-safe.
 */
public final class ResultOutbox {

    private record Held(String entryId, TranscriptResult result) {
    }

    private final long holdNanos;
    /** Told of every result as its message leaves the outbox. */
    private final Consumer<TranscriptResult> sending;
    private final TreeMap<Long, Held> held = new TreeMap<>();
    private long nextSeq;
    private long issued;
    private long gapSinceNanos = -1;
    private String cursor;

    /**
     * @param firstSeq the first seq the device has not received
     * @param issued   how many seqs the session had issued when this socket took it over
     * @param holdMs   how long a later result may wait for a missing earlier one
     */
    public ResultOutbox(long firstSeq, long issued, long holdMs) {
        this(firstSeq, issued, holdMs, result -> { });
    }

    /**
     * @param sending told of every result as its message leaves the outbox (metrics, tracing), under the
     *                outbox's lock: it must be quick
     */
    public ResultOutbox(long firstSeq, long issued, long holdMs, Consumer<TranscriptResult> sending) {
        this.sending = sending;
        this.nextSeq = firstSeq;
        this.issued = Math.max(issued, firstSeq);
        this.holdNanos = holdMs * 1_000_000;
    }

    /** Records that utterance {@code seq} was enqueued, so its result is awaited. */
    public synchronized void issued(long seq) {
        issued = Math.max(issued, seq + 1);
    }

    /** How many seqs the session has issued as far as this socket knows (the next seq is at least this). */
    public synchronized long issuedCount() {
        return issued;
    }

    /** Takes a result read from the session stream; returns the messages to send now, in order. */
    public synchronized List<String> offer(String entryId, TranscriptResult result, long nowNanos) {
        if (result.seq() < nextSeq || held.containsKey(result.seq())) {
            return List.of();
        }
        held.put(result.seq(), new Held(entryId, result));
        issued = Math.max(issued, result.seq() + 1);
        return drain(nowNanos);
    }

    /** Gives up on a missing seq once later results have waited the hold time; returns what to send. */
    public synchronized List<String> expire(long nowNanos) {
        List<String> out = new ArrayList<>();
        if (gapSinceNanos < 0 || nowNanos - gapSinceNanos < holdNanos) {
            return out;
        }
        // Every seq before the first held result is as late as that result has waited.
        long firstHeld = held.firstKey();
        while (nextSeq < firstHeld) {
            out.add(ServerMessages.error(ProtocolError.RESULT_MISSING,
                    "no result arrived for seq " + nextSeq + " in time; later results follow", nextSeq));
            nextSeq++;
        }
        gapSinceNanos = -1;
        out.addAll(drain(nowNanos));
        return out;
    }

    /** Reports every awaited seq as missing (the session is closing); returns what to send. */
    public synchronized List<String> abandonOutstanding() {
        List<String> out = new ArrayList<>();
        while (nextSeq < issued) {
            Held next = held.remove(nextSeq);
            out.add(next != null ? message(next) : ServerMessages.error(ProtocolError.RESULT_MISSING,
                    "no result arrived for seq " + nextSeq + " before the session closed", nextSeq));
            nextSeq++;
        }
        return out;
    }

    /** Whether some enqueued utterance has not been answered yet. */
    public synchronized boolean outstanding() {
        return nextSeq < issued;
    }

    /** Id of the last entry read from the session stream, {@code null} to read from its start. */
    public synchronized String cursor() {
        return cursor;
    }

    public synchronized void advanceCursor(String entryId) {
        cursor = entryId;
    }

    private List<String> drain(long nowNanos) {
        List<String> out = new ArrayList<>();
        Held next;
        while ((next = held.remove(nextSeq)) != null) {
            out.add(message(next));
            nextSeq++;
        }
        gapSinceNanos = held.isEmpty() ? -1 : (gapSinceNanos >= 0 && out.isEmpty() ? gapSinceNanos : nowNanos);
        return out;
    }

    private String message(Held h) {
        TranscriptResult r = h.result();
        sending.accept(r);
        if (r.ok()) {
            return ServerMessages.transcript(h.entryId(), r);
        }
        String reason = r.error().isEmpty() ? "every provider failed for this utterance" : r.error();
        return ServerMessages.error(ProtocolError.TRANSCRIPTION_FAILED, reason, r.seq());
    }
}
