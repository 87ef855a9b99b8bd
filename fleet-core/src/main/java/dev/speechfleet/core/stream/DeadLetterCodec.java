package dev.speechfleet.core.stream;

import static dev.speechfleet.core.stream.AudioFields.DEAD_AT;
import static dev.speechfleet.core.stream.AudioFields.FAILED_PROVIDER;
import static dev.speechfleet.core.stream.AudioFields.FINAL_ERROR;

import java.util.Map;

/**
 * An entry of {@code transcription:dead}: the chunk's audio fields (audio inline, so that it can be
 * re-driven after its blob is gone) plus {@code failed_provider}, {@code final_error}, {@code dead_at}.
 */
public final class DeadLetterCodec {

    private DeadLetterCodec() {
    }

    public static EntryFields encode(AudioChunk chunk, String failedProvider, String finalError, long deadAtMillis) {
        return AudioChunkCodec.encode(chunk)
                .put(FAILED_PROVIDER, failedProvider)
                .put(FINAL_ERROR, finalError)
                .put(DEAD_AT, deadAtMillis);
    }

    /**
     * A dead letter for an entry that could not even be decoded: its raw fields are kept as they were
     * so an operator can see what arrived.
     */
    public static EntryFields encodeUndecodable(Map<String, byte[]> rawFields, String failedProvider,
            String finalError, long deadAtMillis) {
        return EntryFields.of(rawFields)
                .put(FAILED_PROVIDER, failedProvider)
                .put(FINAL_ERROR, finalError)
                .put(DEAD_AT, deadAtMillis);
    }
}
