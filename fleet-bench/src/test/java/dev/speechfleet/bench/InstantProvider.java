package dev.speechfleet.bench;

import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.stream.AudioChunk;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The benchmark's provider, never part of a service: answers after a fixed latency (0 for at once,
 * 300 ms for a cloud API's), and fails a configured share of calls as retryable, so that what a
 * benchmark measures is the fleet's own cost around a provider call.
 */
final class InstantProvider implements TranscriptionProvider {

    static final String TEXT = "turn on the kitchen lights";

    private final String name;
    private final Duration latency;
    private final double failureRate;

    InstantProvider(String name, Duration latency, double failureRate) {
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("failure rate must be 0 to 1: " + failureRate);
        }
        this.name = name;
        this.latency = latency;
        this.failureRate = failureRate;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Transcript transcribe(AudioChunk chunk) throws TranscriptionException {
        if (!latency.isZero()) {
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw TranscriptionException.retryable("interrupted while answering");
            }
        }
        if (failureRate > 0 && ThreadLocalRandom.current().nextDouble() < failureRate) {
            throw TranscriptionException.retryable("planned failure of the instant provider");
        }
        return new Transcript(TEXT, 0.9, List.of(), chunk.language(), "instant");
    }
}
