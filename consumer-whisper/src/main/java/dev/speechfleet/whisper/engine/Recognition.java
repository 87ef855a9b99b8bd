package dev.speechfleet.whisper.engine;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What Whisper recognised in one utterance.
 *
 * @param segments        the segments in order
 * @param inferenceNanos  time spent in the native call
 * @param stateWaitNanos  time spent waiting for a free state
 */
public record Recognition(List<Segment> segments, long inferenceNanos, long stateWaitNanos) {

    /** Whisper's annotations of non-speech ("[BLANK_AUDIO]", "(music)"), which are not words anybody said. */
    private static final Pattern NON_SPEECH = Pattern.compile("\\s*[\\[(][^\\])]*[\\])]\\s*");

    public Recognition {
        segments = List.copyOf(segments);
    }

    /** The spoken text: segments joined, non-speech annotations left out. */
    public String text() {
        return segments.stream().map(Segment::text).filter(t -> !NON_SPEECH.matcher(t).matches())
                .map(String::strip).filter(t -> !t.isEmpty()).collect(Collectors.joining(" "));
    }
}
