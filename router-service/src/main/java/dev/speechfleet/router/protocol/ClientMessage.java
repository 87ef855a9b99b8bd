package dev.speechfleet.router.protocol;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A text message from a device (protocol v1). */
public sealed interface ClientMessage {

    /**
     * {@code start}: a new session, or the resume of {@code sessionId} after {@code lastSeq}.
     *
     * @param sessionId  session to resume, empty for a new session
     * @param lastSeq    last seq the device received in full, empty when it received none
     * @param sampleRate samples per second of the PCM that follows
     * @param encoding   the PCM encoding
     * @param language   BCP-47 language of the speech
     * @param policy     routing policy, empty for the device's default
     * @param consensus  providers to fan every utterance out to; empty for single mode
     * @param keyterms   phrases the providers should expect, validated ({@code Keyterms}); empty for none
     * @param audioMs    resume only: where the first frame on this socket sits on the session clock;
     *                   empty when the device resends from the position {@code ready} reports
     */
    record Start(Optional<String> sessionId, OptionalLong lastSeq, int sampleRate, String encoding, String language,
            Optional<String> policy, List<String> consensus, List<String> keyterms, OptionalLong audioMs)
            implements ClientMessage {

        public Start {
            keyterms = keyterms == null ? List.of() : List.copyOf(keyterms);
        }

        /** A start without key terms or audio position. */
        public Start(Optional<String> sessionId, OptionalLong lastSeq, int sampleRate, String encoding,
                String language, Optional<String> policy, List<String> consensus) {
            this(sessionId, lastSeq, sampleRate, encoding, language, policy, consensus, List.of(), OptionalLong.empty());
        }
    }

    /** {@code flush}: cut the current utterance now. */
    record Flush() implements ClientMessage {
    }

    /** {@code stop}: end the session once outstanding transcripts are delivered. */
    record Stop() implements ClientMessage {
    }
}
