package dev.speechfleet.whisper;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Configuration of the Whisper consumer ({@code whisper.*}). The worker itself is configured by {@code fleet.worker.*}. */
@ConfigMapping(prefix = "whisper")
public interface WhisperConfig {

    /** Which model to load and where it comes from. */
    Model model();

    /** Where the native libraries of whisper-jni are extracted once and loaded from on every start. */
    @WithDefault("${user.home}/.cache/speech-fleet/whisper/native")
    Path nativeDir();

    /**
     * Whisper states, i.e. chunks transcribed at once; defaults to the available cores. The worker's
     * concurrency ({@code fleet.worker.concurrency}) wins when it is set, so that states always equal slots.
     */
    OptionalInt states();

    /** Threads each state computes with; defaults to cores divided by states, at least 1. */
    OptionalInt threadsPerState();

    /** Language used when a chunk carries none; {@code auto} lets Whisper detect it. */
    @WithDefault("en")
    String defaultLanguage();

    /** Beam width of beam-search decoding; 1 (the default) decodes greedily. */
    @WithDefault("1")
    int beamSize();

    /**
     * The encoder context of each call: {@code full} encodes Whisper's whole 30 s window whatever the
     * utterance's length (the condition the models were trained in); {@code utterance} sizes it to the
     * utterance (50 positions a second, never below {@link #audioCtxFloor()}), several times faster on
     * utterances of a few seconds. Only speed is measured here (no real weights on the project's
     * machines, docs/benchmarks.md): check accuracy on your model and audio before switching.
     */
    @WithDefault("full")
    AudioContext audioCtx();

    /**
     * The fewest encoder positions of a call with {@code audio-ctx=utterance}, 1 to 1500 (50 a second:
     * 256 is 5.12 s), so that a short utterance is still encoded with a context of some length.
     */
    @WithDefault("256")
    int audioCtxFloor();

    /** What {@link #audioCtx()} chooses between. */
    enum AudioContext { FULL, UTTERANCE }

    /**
     * Confidence reported for a non-empty transcript. whisper-jni 1.7.1 exposes no token
     * probabilities, so Whisper results carry this configured prior (see ADR 0011); empty text reports 0.
     */
    @WithDefault("0.5")
    double transcriptConfidence();

    /** The guard that withholds text Whisper invents on noise and silence (ADR 0013). */
    Hallucination hallucination();

    interface Hallucination {
        /** Whether results that look invented are replaced by an empty transcript with a flag. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Phrases Whisper writes on silence, compared ignoring case and punctuation; a result made only of
         * them is withheld. Defaults to {@link HallucinationGuard#DEFAULT_PHRASES}; set it to add phrases
         * of other languages.
         */
        Optional<List<String>> phrases();
    }

    interface Model {
        /**
         * Model name as published by whisper.cpp ({@code tiny.en}, {@code base.en}, {@code small}, …),
         * downloaded once into {@link #cacheDir()}. Ignored when {@link #path()} is set.
         */
        @WithDefault("base.en")
        String name();

        /** A model file to load as it is, instead of a named, downloaded one. */
        Optional<Path> path();

        /**
         * Expected sha256 of the model (hex). Required for a named model without a pinned checksum;
         * checked against a {@link #path()} model when set.
         */
        Optional<String> sha256();

        /** Where named models are fetched from: {@code <base-url>/ggml-<name>.bin}. */
        @WithDefault("https://huggingface.co/ggerganov/whisper.cpp/resolve/main")
        URI baseUrl();

        /** Directory that keeps downloaded models between starts. */
        @WithDefault("${user.home}/.cache/speech-fleet/whisper/models")
        Path cacheDir();

        /** Longest time one model download may take before start-up fails. */
        @WithDefault("30m")
        Duration downloadTimeout();
    }
}
