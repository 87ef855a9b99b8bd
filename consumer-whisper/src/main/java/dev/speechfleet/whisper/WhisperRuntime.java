package dev.speechfleet.whisper;

import dev.speechfleet.core.config.FleetConfig;
import dev.speechfleet.core.worker.ProviderSelection;
import dev.speechfleet.whisper.engine.DecodingSettings;
import dev.speechfleet.whisper.engine.WhisperEngine;
import dev.speechfleet.whisper.model.ModelStore;
import dev.speechfleet.whisper.nativelib.NativeLibrary;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.nio.file.Path;

/**
 * Owns the service's {@link WhisperEngine}: loads the native library and the model at start-up (a
 * model that cannot be had stops start-up), and frees them after the worker has stopped.
 */
@Singleton
public class WhisperRuntime {

    private final WhisperConfig config;
    private final FleetConfig fleet;
    private final ProviderSelection selection;
    private volatile WhisperEngine engine;

    WhisperRuntime(WhisperConfig config, FleetConfig fleet, ProviderSelection selection) {
        this.config = config;
        this.fleet = fleet;
        this.selection = selection;
    }

    /**
     * Loads before the worker launcher starts reading, so that start-up fails early on a bad model;
     * a process that does not serve Whisper (the one-process fleet without it) loads nothing.
     */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        if (selection.serves(WhisperProvider.NAME)) {
            engine();
        }
    }

    /** Whether this process serves Whisper at all. */
    public boolean served() {
        return selection.serves(WhisperProvider.NAME);
    }

    /** The engine, loaded on first use. */
    public WhisperEngine engine() {
        WhisperEngine current = engine;
        return current != null ? current : loadOnce();
    }

    private synchronized WhisperEngine loadOnce() {
        if (engine == null) {
            engine = load();
        }
        return engine;
    }

    /** Whether the model is loaded and serving. */
    public boolean isLoaded() {
        WhisperEngine current = engine;
        return current != null && current.isOpen();
    }

    private WhisperEngine load() {
        NativeLibrary.load(config.nativeDir());
        WhisperConfig.Model model = config.model();
        ModelStore store = new ModelStore(model.cacheDir(), model.baseUrl(), model.downloadTimeout());
        Path file = model.path().map(p -> store.fromPath(p, model.sha256()))
                .orElseGet(() -> store.named(model.name(), model.sha256()));
        String modelName = model.path().map(p -> p.getFileName().toString()).orElse(model.name());
        int states = stateCount();
        int threads = config.threadsPerState()
                .orElse(DecodingSettings.defaultThreads(Runtime.getRuntime().availableProcessors(), states));
        // Segment timings are not published (ADR 0011), so whisper.cpp does not decode timestamps at all.
        int audioCtxFloor = config.audioCtx() == WhisperConfig.AudioContext.UTTERANCE ? config.audioCtxFloor() : 0;
        if (config.audioCtx() == WhisperConfig.AudioContext.UTTERANCE && audioCtxFloor < 1) {
            throw new IllegalArgumentException("whisper.audio-ctx-floor must be 1 to " + DecodingSettings.FULL_WINDOW
                    + ", not " + audioCtxFloor);
        }
        return WhisperEngine.load(file, modelName, states,
                new DecodingSettings(threads, config.beamSize(), false, audioCtxFloor));
    }

    /** As many states as the worker has slots: fleet.worker.concurrency when set, else whisper.states, else cores. */
    private int stateCount() {
        return fleet.worker().concurrency()
                .orElse(config.states().orElse(Runtime.getRuntime().availableProcessors()));
    }

    @PreDestroy
    void close() {
        WhisperEngine current = engine;
        if (current != null) {
            current.close();
        }
    }
}
