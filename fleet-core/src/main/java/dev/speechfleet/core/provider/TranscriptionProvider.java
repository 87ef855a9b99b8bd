package dev.speechfleet.core.provider;

import dev.speechfleet.core.stream.AudioChunk;

/**
 * The provider SPI: one speech-to-text back end. A consumer service exposes one implementation as a
 * CDI bean; the shared worker feeds it the chunks of {@code audio:stream:{name()}}.
 *
 * <p>Implementations are called from several worker threads at once (up to the worker's
 * concurrency) and must be thread-safe.
 */
public interface TranscriptionProvider {

    /** The provider's name as used in stream keys: {@code whisper}, {@code deepgram}, … */
    String name();

    /**
     * Transcribes one chunk.
     *
     * @param chunk the chunk; its {@code audio} is always inline here (the worker resolves blobs)
     * @return what was recognised
     * @throws TranscriptionException when it failed, saying whether retrying can help
     */
    Transcript transcribe(AudioChunk chunk) throws TranscriptionException;

    /** What the provider charges per minute of audio, in USD, for the cost on each hypothesis. */
    default double pricePerMinuteUsd() {
        return 0;
    }

    /**
     * The provider's circuit breaker as it stands now; published by the worker for the router. A
     * provider without a breaker (local Whisper) is always {@link CircuitState#CLOSED}.
     */
    default CircuitState circuitState() {
        return CircuitState.CLOSED;
    }

    /** Chunks the worker should process at once unless {@code fleet.worker.concurrency} says otherwise. */
    default int defaultConcurrency() {
        return 4;
    }

    /**
     * Whether a call mostly waits on the network (a cloud API, a remote server) rather than computing
     * here: the worker then runs each call on a virtual thread, so its concurrency can be the
     * provider's limit of calls in flight rather than a count of platform threads (ADR 0091).
     */
    default boolean callsWaitOnNetwork() {
        return false;
    }

    /**
     * The languages and sample rates this provider, as configured, can transcribe; the worker
     * publishes them for the router, which sends nothing else here (ADR 0024). The default restricts
     * nothing; real providers derive it from their configured model.
     */
    default ProviderCapabilities capabilities() {
        return ProviderCapabilities.UNRESTRICTED;
    }

    /**
     * Called once when the worker serving this provider stops reading. A provider that waits inside
     * {@link #transcribe} (polling a job) should stop waiting and fail the call as retryable: the worker
     * leaves that chunk pending for another worker.
     */
    default void workerStopping() {
    }
}
