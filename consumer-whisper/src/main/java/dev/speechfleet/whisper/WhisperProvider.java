package dev.speechfleet.whisper;

import dev.speechfleet.core.stream.AudioEncodings;
import dev.speechfleet.core.provider.ModelLanguages;
import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.whisper.engine.Pcm16;
import dev.speechfleet.whisper.engine.Recognition;
import dev.speechfleet.whisper.engine.WhisperEngine;
import dev.speechfleet.whisper.engine.WhisperFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The {@code whisper} provider: transcribes a chunk's PCM with the local Whisper model. The shared
 * worker runs as many chunks at once as there are Whisper states ({@link #defaultConcurrency()}).
 * Audio at another rate than 16 kHz is resampled; the session's key terms become Whisper's initial
 * prompt; a result that looks invented (ADR 0013) becomes an empty transcript with a flag.
 */
@ApplicationScoped
@Named(WhisperProvider.NAME)
public class WhisperProvider implements TranscriptionProvider {

    static final String NAME = "whisper";

    private static final Logger LOG = Logger.getLogger(WhisperProvider.class);

    /**
     * Rates resampled to 16 kHz (and 16 kHz itself): the router's 8 and 16 kHz and the usual rates of
     * audio hardware.
     */
    static final Set<Integer> SAMPLE_RATES = Set.of(8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000);

    private final Supplier<WhisperEngine> engine;
    private final String defaultLanguage;
    private final double transcriptConfidence;
    private final Optional<HallucinationGuard> guard;
    private final Timer inference;
    private final Timer stateWait;
    private final Counter withheld;

    @Inject
    WhisperProvider(WhisperRuntime runtime, WhisperConfig config, MeterRegistry meters) {
        this(runtime::engine, config.defaultLanguage(), config.transcriptConfidence(),
                config.hallucination().enabled() ? Optional.of(new HallucinationGuard(config.hallucination().phrases()
                        .orElse(HallucinationGuard.DEFAULT_PHRASES))) : Optional.empty(), meters);
    }

    /**
     * A provider over an engine outside CDI (benchmarks, tools), with the default hallucination guard.
     *
     * @param engine               the engine, looked up on every call
     * @param defaultLanguage      language of chunks that carry none
     * @param transcriptConfidence confidence reported for a non-empty transcript
     */
    public WhisperProvider(Supplier<WhisperEngine> engine, String defaultLanguage, double transcriptConfidence,
            MeterRegistry meters) {
        this(engine, defaultLanguage, transcriptConfidence,
                Optional.of(new HallucinationGuard(HallucinationGuard.DEFAULT_PHRASES)), meters);
    }

    /**
     * A provider over an engine.
     *
     * @param guard the hallucination guard, empty to report whatever Whisper writes
     */
    public WhisperProvider(Supplier<WhisperEngine> engine, String defaultLanguage, double transcriptConfidence,
            Optional<HallucinationGuard> guard, MeterRegistry meters) {
        this.engine = engine;
        this.defaultLanguage = defaultLanguage;
        this.transcriptConfidence = transcriptConfidence;
        this.guard = guard;
        this.withheld = Counter.builder("whisper.hallucinations.withheld")
                .description("Whisper results withheld as invented text").register(meters);
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

    /** The loaded model's languages: English only for an {@code .en} model, Whisper's 99 otherwise. */
    @Override
    public ProviderCapabilities capabilities() {
        return new ProviderCapabilities(engine.get().multilingual() ? ModelLanguages.WHISPER_MULTILINGUAL
                : ModelLanguages.ENGLISH, SAMPLE_RATES);
    }

    @Override
    public Transcript transcribe(AudioChunk chunk) throws TranscriptionException {
        WhisperEngine current = engine.get();
        float[] samples = samplesOf(chunk);
        String language = languageOf(chunk, current);
        Recognition recognition = recognise(current, samples, language, prompt(chunk.keyterms()));
        inference.record(recognition.inferenceNanos(), TimeUnit.NANOSECONDS);
        stateWait.record(recognition.stateWaitNanos(), TimeUnit.NANOSECONDS);
        String reported = language.equals(WhisperLanguage.AUTO) ? chunk.language() : WhisperLanguage.bcp47(language);
        String text = recognition.text();
        Optional<String> invented = guard.flatMap(g -> g.check(text, chunk.keyterms()));
        if (invented.isPresent()) {
            withheld.increment();
            LOG.debugf("withheld whisper text of %s (%s): %s", chunk.chunkId(), invented.get(), text);
            return new Transcript("", 0, List.of(), reported, current.modelName(), List.of(invented.get()));
        }
        double confidence = text.isEmpty() ? 0 : transcriptConfidence;
        return new Transcript(text, confidence, List.of(), reported, current.modelName());
    }

    /** Key terms as Whisper's initial prompt: a comma list reads like a glossary preceding the speech. */
    static String prompt(List<String> keyterms) {
        return keyterms.isEmpty() ? null : String.join(", ", keyterms);
    }

    private static float[] samplesOf(AudioChunk chunk) throws TranscriptionException {
        if (!AudioEncodings.PCM_S16LE.equals(chunk.encoding())) {
            throw TranscriptionException.permanent("whisper takes pcm_s16le audio, not " + chunk.encoding());
        }
        if (!SAMPLE_RATES.contains(chunk.sampleRate())) {
            throw TranscriptionException.permanent("whisper resamples " + new TreeSet<>(SAMPLE_RATES)
                    + " Hz audio, not " + chunk.sampleRate() + " Hz");
        }
        try {
            return Pcm16.toSamples(chunk.audio(), chunk.sampleRate());
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

    private static Recognition recognise(WhisperEngine engine, float[] samples, String language, String prompt)
            throws TranscriptionException {
        try {
            return engine.transcribe(samples, language, prompt);
        } catch (WhisperFailure e) {
            throw TranscriptionException.retryable(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TranscriptionException.retryable("interrupted while waiting for a whisper state");
        }
    }
}
