package dev.speechfleet.whisper.engine;

/**
 * One segment of a Whisper result.
 *
 * @param startMs start within the audio, milliseconds
 * @param endMs   end within the audio, milliseconds
 * @param text    the segment's text as Whisper wrote it
 */
public record Segment(long startMs, long endMs, String text) {
}
