package dev.speechfleet.router.vad;

/**
 * A stretch of speech cut from a session's PCM stream.
 *
 * @param startMs    where its audio starts in the session (including the pre-roll)
 * @param durationMs length of its audio
 * @param speechMs   how much of it was classified as speech
 * @param pcm        the audio, s16le
 * @param forced     whether it was cut by {@code flush} or the maximum length rather than by a pause
 */
public record Utterance(long startMs, long durationMs, long speechMs, byte[] pcm, boolean forced) {

    public long endMs() {
        return startMs + durationMs;
    }
}
