package dev.speechfleet.router.vad;

import dev.speechfleet.router.config.RouterConfig;

/**
 * Tuning of the {@link UtteranceSegmenter}; see {@code router.vad.*} for each value's meaning.
 */
public record VadSettings(int frameMs, double thresholdDb, double minSpeechDbfs, int preRollMs, int onsetMs,
        int hangoverMs, int tailMs, int minUtteranceMs, int maxUtteranceMs, double floorRiseDbPerSecond) {

    public VadSettings {
        require(frameMs >= 10 && frameMs <= 50, "frame must be 10 to 50 ms");
        require(onsetMs >= frameMs, "onset must be at least one frame");
        require(tailMs >= 0 && tailMs <= hangoverMs, "tail must be within the hangover");
        require(minUtteranceMs >= 0 && maxUtteranceMs > minUtteranceMs, "max utterance must exceed min utterance");
        require(maxUtteranceMs >= 1000, "max utterance must be at least 1 s");
        require(preRollMs >= 0, "pre-roll must not be negative");
    }

    public static VadSettings from(RouterConfig.Vad c) {
        return new VadSettings(c.frameMs(), c.thresholdDb(), c.minSpeechDbfs(), c.preRollMs(), c.onsetMs(),
                c.hangoverMs(), c.tailMs(), c.minUtteranceMs(), c.maxUtteranceMs(), c.floorRiseDbPerSecond());
    }

    /** The defaults of {@code router.vad.*}. */
    public static VadSettings defaults() {
        return new VadSettings(20, 10, -50, 100, 40, 400, 100, 200, 15000, 3);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
