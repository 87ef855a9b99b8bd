package dev.speechfleet.core.stream;

/**
 * What every entry about one chunk names, set by name: the chunk, its session, device and seq, and its
 * mode. The builders of {@link AudioChunk}, {@link Hypothesis} and {@link TranscriptResult} share it.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class ChunkBuilder<B extends ChunkBuilder<B>> {

    String chunkId;
    String sessionId;
    String deviceId = "";
    long seq;
    ChunkMode mode = ChunkMode.SINGLE;

    ChunkBuilder() {
    }

    /** Utterance {@code seq} of a session spoken by a device; its chunk id is {@code session_id:seq}. */
    public B utterance(String sessionId, String deviceId, long seq) {
        return chunkId(StreamKeys.chunkId(sessionId, seq)).sessionId(sessionId).deviceId(deviceId).seq(seq);
    }

    public B chunkId(String chunkId) {
        this.chunkId = chunkId;
        return self();
    }

    public B sessionId(String sessionId) {
        this.sessionId = sessionId;
        return self();
    }

    public B deviceId(String deviceId) {
        this.deviceId = deviceId;
        return self();
    }

    public B seq(long seq) {
        this.seq = seq;
        return self();
    }

    /** Single (the default) or consensus. */
    public B mode(ChunkMode mode) {
        this.mode = mode;
        return self();
    }

    @SuppressWarnings("unchecked")
    final B self() {
        return (B) this;
    }
}
