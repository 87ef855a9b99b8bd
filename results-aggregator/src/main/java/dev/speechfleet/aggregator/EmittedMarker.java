package dev.speechfleet.aggregator;

/**
 * The value of a chunk's "emitted" marker: what decided the chunk and the id of its entry in the
 * session's result stream. It lets the instance that wrote a result, but crashed before announcing it
 * and acknowledging, recognise its own work when the entry comes back and finish the announcement.
 *
 * @param source   the hypotheses-stream entry id that decided the chunk, or {@link #DEADLINE}
 * @param resultId the result's id in {@code transcription:results:{session_id}}
 */
record EmittedMarker(String source, String resultId) {

    /** Source of a consensus chunk decided by its deadline rather than by an entry. */
    static final String DEADLINE = "deadline";

    String encode() {
        return source + "|" + resultId;
    }

    static EmittedMarker parse(String value) {
        int bar = value.lastIndexOf('|');
        return bar < 0 ? new EmittedMarker(value, "")
                : new EmittedMarker(value.substring(0, bar), value.substring(bar + 1));
    }
}
