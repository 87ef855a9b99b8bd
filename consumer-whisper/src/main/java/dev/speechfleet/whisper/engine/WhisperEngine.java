package dev.speechfleet.whisper.engine;

import io.github.givimad.whisperjni.WhisperContext;
import io.github.givimad.whisperjni.WhisperFullParams;
import io.github.givimad.whisperjni.WhisperJNI;
import io.github.givimad.whisperjni.WhisperState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * One Whisper model in memory and the states that run it. The model is loaded once without a state
 * ({@code initNoState}); each concurrent transcription runs {@code fullWithState} on a state of its
 * own from the {@link StatePool}, never {@code full} on the shared context. Thread-safe.
 */
public final class WhisperEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WhisperEngine.class);

    private final WhisperJNI whisper;
    private final WhisperContext context;
    private final StatePool states;
    private final DecodingSettings decoding;
    private final String modelName;
    private final boolean multilingual;
    private final AtomicBoolean open = new AtomicBoolean(true);

    private WhisperEngine(WhisperJNI whisper, WhisperContext context, StatePool states, DecodingSettings decoding,
            String modelName) {
        this.whisper = whisper;
        this.context = context;
        this.states = states;
        this.decoding = decoding;
        this.modelName = modelName;
        this.multilingual = whisper.isMultilingual(context);
    }

    /**
     * Loads {@code model} with {@code stateCount} states. The native library must be loaded
     * ({@link dev.speechfleet.whisper.nativelib.NativeLibrary}).
     *
     * @param modelName how results name the model (for example {@code base.en})
     */
    public static WhisperEngine load(Path model, String modelName, int stateCount, DecodingSettings decoding) {
        if (stateCount < 1) {
            throw new IllegalArgumentException("at least one whisper state is needed: " + stateCount);
        }
        WhisperJNI whisper = new WhisperJNI();
        WhisperContext context = initContext(whisper, model);
        try {
            StatePool pool = new StatePool(whisper, context, stateCount);
            LOG.infof("loaded whisper model %s from %s: %d state(s), %d thread(s) each, %s decoding, %s", modelName,
                    model, stateCount, decoding.threadsPerState(),
                    decoding.beamSize() > 1 ? "beam " + decoding.beamSize() : "greedy",
                    decoding.audioCtxFloor() == 0 ? "full 30 s encoder window"
                            : "encoder context sized to the utterance, at least " + decoding.audioCtxFloor());
            return new WhisperEngine(whisper, context, pool, decoding, modelName);
        } catch (RuntimeException e) {
            freeContext(whisper, context);
            throw e;
        }
    }

    private static WhisperContext initContext(WhisperJNI whisper, Path model) {
        NativeLifecycle.LOCK.lock();
        try {
            WhisperContext context = whisper.initNoState(model);
            if (context == null) {
                throw new IllegalStateException("whisper.cpp could not load the model " + model
                        + " (not a ggml Whisper model?)");
            }
            return context;
        } catch (IOException e) {
            throw new IllegalStateException("cannot load the whisper model " + model + ": " + e.getMessage(), e);
        } finally {
            NativeLifecycle.LOCK.unlock();
        }
    }

    /**
     * Transcribes 16 kHz mono samples, waiting for a free state when all are busy.
     *
     * @param language a Whisper language code ({@code en}, {@code de}, …) or {@code auto}
     * @throws WhisperFailure when whisper.cpp reports an error
     */
    public Recognition transcribe(float[] samples, String language) throws WhisperFailure, InterruptedException {
        return transcribe(samples, language, null);
    }

    /**
     * Transcribes 16 kHz mono samples with {@code prompt} as the initial prompt ({@code null} for none).
     *
     * @throws WhisperFailure when whisper.cpp reports an error
     */
    public Recognition transcribe(float[] samples, String language, String prompt)
            throws WhisperFailure, InterruptedException {
        if (!open.get()) {
            throw new WhisperFailure("the whisper engine is closed");
        }
        WhisperFullParams params = decoding.params(language, prompt, samples.length);
        long waitStart = System.nanoTime();
        WhisperState state = states.borrow();
        long callStart = System.nanoTime();
        try {
            int status = whisper.fullWithState(context, state, params, samples, samples.length);
            if (status != 0) {
                throw new WhisperFailure("whisper.cpp failed with status " + status);
            }
            List<Segment> segments = segments(state);
            return new Recognition(segments, System.nanoTime() - callStart, callStart - waitStart);
        } finally {
            states.release(state);
        }
    }

    private List<Segment> segments(WhisperState state) {
        int count = whisper.fullNSegmentsFromState(state);
        List<Segment> segments = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // whisper.cpp timestamps are in units of 10 ms.
            segments.add(new Segment(whisper.fullGetSegmentTimestamp0FromState(state, i) * 10,
                    whisper.fullGetSegmentTimestamp1FromState(state, i) * 10,
                    whisper.fullGetSegmentTextFromState(state, i)));
        }
        return segments;
    }

    public int stateCount() {
        return states.size();
    }

    public DecodingSettings decoding() {
        return decoding;
    }

    public String modelName() {
        return modelName;
    }

    /** Whether the model transcribes languages other than English. */
    public boolean multilingual() {
        return multilingual;
    }

    public boolean isOpen() {
        return open.get();
    }

    /** Frees the states and the model once the transcriptions in flight are done (waits at most 60 s). */
    @Override
    public void close() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        if (states.close(Duration.ofSeconds(60))) {
            freeContext(whisper, context);
        }
    }

    private static void freeContext(WhisperJNI whisper, WhisperContext context) {
        NativeLifecycle.LOCK.lock();
        try {
            whisper.free(context);
        } finally {
            NativeLifecycle.LOCK.unlock();
        }
    }
}
