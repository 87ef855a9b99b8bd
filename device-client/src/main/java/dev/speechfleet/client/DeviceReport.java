package dev.speechfleet.client;

import java.util.ArrayList;
import java.util.List;

/**
 * What one device saw.
 *
 * @param deviceId      the device
 * @param sessionId     its session
 * @param results       every transcript or per-utterance error, in arrival order, without the resume duplicates
 * @param duplicates    results received again after a resume (and ignored, as a device must)
 * @param sessionErrors errors that were not about one utterance
 * @param resumes       how often the socket was dropped and the session resumed
 * @param closeCode     how the router closed the socket, -1 if it did not
 * @param latenciesMs   per utterance: from sending the audio of its end to receiving its result
 */
public record DeviceReport(String deviceId, String sessionId, List<Result> results, int duplicates,
        List<ServerMessage.Error> sessionErrors, int resumes, int closeCode, List<Long> latenciesMs) {

    /** One utterance's outcome: a transcript, or an error for its seq. */
    public record Result(long seq, ServerMessage message) {
        public boolean ok() {
            return message instanceof ServerMessage.Transcript;
        }
    }

    /** Whether results came in strictly increasing seq order. */
    public boolean inOrder() {
        for (int i = 1; i < results.size(); i++) {
            if (results.get(i).seq() <= results.get(i - 1).seq()) {
                return false;
            }
        }
        return true;
    }

    /** Seqs from 0 to the highest one received that have no result. */
    public List<Long> gaps() {
        List<Long> missing = new ArrayList<>();
        long expected = 0;
        for (Result r : results) {
            for (; expected < r.seq(); expected++) {
                missing.add(expected);
            }
            expected = Math.max(expected, r.seq() + 1);
        }
        return missing;
    }

    public long transcripts() {
        return results.stream().filter(Result::ok).count();
    }

    /** Transcripts without a word in them: the provider recognised nothing in that utterance. */
    public long emptyTranscripts() {
        return results.stream().map(Result::message).filter(m -> m instanceof ServerMessage.Transcript t
                && t.text().isBlank()).count();
    }

    /** Whether the run went as a device needs it: results, in order, no gaps, no session error, normal close. */
    public boolean healthy() {
        return !results.isEmpty() && inOrder() && gaps().isEmpty() && sessionErrors.isEmpty() && closeCode == 1000;
    }
}
