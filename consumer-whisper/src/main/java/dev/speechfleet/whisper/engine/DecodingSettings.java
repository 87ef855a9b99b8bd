package dev.speechfleet.whisper.engine;

import io.github.givimad.whisperjni.WhisperFullParams;
import io.github.givimad.whisperjni.WhisperSamplingStrategy;

/**
 * How every utterance is decoded. The parameters make a result a function of the audio alone: no
 * temperature fallback (a reused state would otherwise drift between calls), no text context carried
 * from the previous call on the same state, and greedy decoding unless a beam is asked for.
 *
 * @param threadsPerState threads one state computes with
 * @param beamSize        1 for greedy decoding, more for beam search of that width
 * @param timestamps      whether Whisper decodes timestamps (segment timings); without them it writes
 *                        one segment spanning the audio
 * @param audioCtxFloor   0 to encode Whisper's full 30 s window whatever the audio's length; else the
 *                        encoder context is sized to the audio (50 positions a second) but never below
 *                        this many positions (see {@code whisper.audio-ctx-floor})
 */
public record DecodingSettings(int threadsPerState, int beamSize, boolean timestamps, int audioCtxFloor) {

    /** Encoder positions of Whisper's 30 s window. */
    public static final int FULL_WINDOW = 1500;
    /** Samples (16 kHz) per encoder position: a 10 ms mel hop, halved by the encoder's strided convolution. */
    private static final int SAMPLES_PER_POSITION = 320;

    /** Settings with segment timings over the full window. */
    public DecodingSettings(int threadsPerState, int beamSize) {
        this(threadsPerState, beamSize, true);
    }

    /** Settings over the full window. */
    public DecodingSettings(int threadsPerState, int beamSize, boolean timestamps) {
        this(threadsPerState, beamSize, timestamps, 0);
    }

    public DecodingSettings {
        if (threadsPerState < 1) {
            throw new IllegalArgumentException("threads per state must be at least 1: " + threadsPerState);
        }
        if (beamSize < 1) {
            throw new IllegalArgumentException("beam size must be at least 1: " + beamSize);
        }
        if (audioCtxFloor < 0 || audioCtxFloor > FULL_WINDOW) {
            throw new IllegalArgumentException("the encoder context floor must be 0 (full window) to " + FULL_WINDOW
                    + ": " + audioCtxFloor);
        }
    }

    /**
     * The encoder context for {@code samples} of 16 kHz audio: 0 (whisper.cpp's full window) unless
     * sized to the utterance, then enough positions to cover the audio, at least the floor, at most the window.
     */
    public int audioCtx(int samples) {
        if (audioCtxFloor == 0) {
            return 0;
        }
        int covering = (samples + SAMPLES_PER_POSITION - 1) / SAMPLES_PER_POSITION;
        return Math.min(FULL_WINDOW, Math.max(audioCtxFloor, covering));
    }

    /** Threads per state when none are configured: the cores shared out between the states. */
    public static int defaultThreads(int cores, int states) {
        return Math.max(1, cores / states);
    }

    /** The whisper-jni parameters of one call in {@code language} (also used by the benchmark's bare calls). */
    public WhisperFullParams params(String language) {
        return params(language, null);
    }

    /**
     * The parameters of one call in {@code language} with {@code prompt} as Whisper's initial prompt (the
     * text it takes as preceding the audio; {@code null} for none). {@code noContext} does not drop it:
     * whisper.cpp keeps the initial prompt and drops only the text of earlier calls.
     */
    public WhisperFullParams params(String language, String prompt) {
        return params(language, prompt, 0);
    }

    /** The parameters of one call on {@code samples} of audio, its encoder context sized as configured. */
    public WhisperFullParams params(String language, String prompt, int samples) {
        boolean beam = beamSize > 1;
        WhisperFullParams params = new WhisperFullParams(beam
                ? WhisperSamplingStrategy.BEAN_SEARCH : WhisperSamplingStrategy.GREEDY);
        params.nThreads = threadsPerState;
        params.language = language;
        params.translate = false;
        params.noTimestamps = !timestamps;
        params.detectLanguage = false;
        params.noContext = true;
        params.singleSegment = false;
        params.temperature = 0f;
        params.temperatureInc = 0f;
        params.greedyBestOf = 1;
        params.beamSearchBeamSize = beam ? beamSize : 2;
        params.suppressBlank = true;
        params.suppressNonSpeechTokens = true;
        params.printProgress = false;
        params.printRealtime = false;
        params.printSpecial = false;
        params.printTimestamps = false;
        params.initialPrompt = prompt;
        params.audioCtx = samples > 0 ? audioCtx(samples) : 0;
        return params;
    }
}
