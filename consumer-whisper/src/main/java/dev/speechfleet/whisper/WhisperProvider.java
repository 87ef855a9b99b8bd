package dev.speechfleet.whisper;

import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.whisper.engine.Pcm16;
import dev.speechfleet.whisper.engine.Recognition;
import dev.speechfleet.whisper.engine.WhisperEngine;
import dev.speechfleet.whisper.engine.WhisperFailure;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@code whisper} provider: transcribes a chunk's PCM with the local Whisper model. The shared
 * worker runs as many chunks at once as there are Whisper states ({@link #defaultConcurrency()}).
 */
@ApplicationScoped
@Named(WhisperProvider.NAME)
public class WhisperProvider implements TranscriptionProvider {

    static final String NAME = "whisper";

    private final Supplier<WhisperEngine> engine;
    private final String defaultLanguage;
    private final double transcriptConfidence;
    private final Timer inference;
    private final Timer stateWait;

    @Inject
    WhisperProvider(WhisperRuntime runtime, WhisperConfig config, MeterRegistry meters) {
        this(runtime::engine, config.defaultLanguage(), config.transcriptConfidence(), meters);
    }

    /**
     * A provider over an engine outside CDI (benchmarks, tools).
     *
     * @param engine               the engine, looked up on every call
     * @param defaultLanguage      language of chunks that carry none
     * @param transcriptConfidence confidence reported for a non-empty transcript
     */
    public WhisperProvider(Supplier<WhisperEngine> engine, String defaultLanguage, double transcriptConfidence,
            MeterRegistry meters) {
        this.engine = engine;
        this.defaultLanguage = defaultLanguage;
        this.transcriptConfidence = transcriptConfidence;
        this.inference = Timer.builder("whisper.inference").description("Native whisper.cpp time per chunk")
                .publishPercentiles(0.5, 0.95).register(meters);
        this.stateWait = Timer.builder("whisper.state.wait")
                .description("Time a chunk waited for a free Whisper state").register(meters);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int defaultConcurrency() {
        return engine.get().stateCount();
    }

    @Override
    public Transcript transcribe(AudioChunk chunk) throws TranscriptionException {
        WhisperEngine current = engine.get();
        float[] samples = samplesOf(chunk);
        String language = languageOf(chunk, current);
        Recognition recognition = recognise(current, samples, language);
        inference.record(recognition.inferenceNanos(), TimeUnit.NANOSECONDS);
        stateWait.record(recognition.stateWaitNanos(), TimeUnit.NANOSECONDS);
        String text = recognition.text();
        double confidence = text.isEmpty() ? 0 : transcriptConfidence;
        return new Transcript(text, confidence, List.of(), language.equals(WhisperLanguage.AUTO) ? chunk.language()
                : language, current.modelName());
    }

    private static float[] samplesOf(AudioChunk chunk) throws TranscriptionException {
        if (!"pcm_s16le".equals(chunk.encoding())) {
            throw TranscriptionException.permanent("whisper takes pcm_s16le audio, not " + chunk.encoding());
        }
        if (chunk.sampleRate() != Pcm16.SAMPLE_RATE) {
            throw TranscriptionException.permanent("whisper takes 16000 Hz audio, not " + chunk.sampleRate() + " Hz");
        }
        try {
            return Pcm16.toSamples(chunk.audio());
        } catch (IllegalArgumentException e) {
            throw TranscriptionException.permanent(e.getMessage());
        }
    }

    private String languageOf(AudioChunk chunk, WhisperEngine engine) throws TranscriptionException {
        try {
            return WhisperLanguage.forChunk(chunk.language(), defaultLanguage, engine.multilingual());
        } catch (IllegalArgumentException e) {
            throw TranscriptionException.permanent(e.getMessage());
        }
    }

    private static Recognition recognise(WhisperEngine engine, float[] samples, String language)
            throws TranscriptionException {
        try {
            return engine.transcribe(samples, language);
        } catch (WhisperFailure e) {
            throw TranscriptionException.retryable(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TranscriptionException.retryable("interrupted while waiting for a whisper state");
        }
    }
}
