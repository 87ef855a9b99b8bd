package dev.speechfleet.core.testing;

import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.stream.AudioChunk;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider for tests whose behaviour per call is scripted; it records every call. By default it
 * answers {@code "<name> heard <seq>"}.
 */
public class ScriptedProvider implements TranscriptionProvider {

    /** What to do with one call. */
    @FunctionalInterface
    public interface Behaviour {
        Transcript answer(AudioChunk chunk, int callForThisChunk) throws TranscriptionException;
    }

    private final String name;
    private final double pricePerMinute;
    private volatile Behaviour behaviour;
    private final List<AudioChunk> calls = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> callsPerChunk = new ConcurrentHashMap<>();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private final AtomicInteger stoppingCalls = new AtomicInteger();
    private volatile ProviderCapabilities capabilities = ProviderCapabilities.UNRESTRICTED;

    public ScriptedProvider(String name) {
        this(name, 0);
    }

    public ScriptedProvider(String name, double pricePerMinute) {
        this.name = name;
        this.pricePerMinute = pricePerMinute;
        this.behaviour = (chunk, call) -> echo(chunk);
    }

    public ScriptedProvider behave(Behaviour behaviour) {
        this.behaviour = behaviour;
        return this;
    }

    /** Answers like {@link #echo} after a random time between {@code min} and {@code max}, like a real call. */
    public ScriptedProvider slow(java.time.Duration min, java.time.Duration max) {
        return behave((chunk, call) -> {
            long nanos = java.util.concurrent.ThreadLocalRandom.current().nextLong(min.toNanos(), max.toNanos() + 1);
            try {
                java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw TranscriptionException.retryable("interrupted");
            }
            return echo(chunk);
        });
    }

    /** What the provider says it serves from now on. */
    public ScriptedProvider serving(ProviderCapabilities capabilities) {
        this.capabilities = capabilities;
        return this;
    }

    @Override
    public ProviderCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public void workerStopping() {
        stoppingCalls.incrementAndGet();
    }

    /** How often the worker said it stops. */
    public int stoppingCalls() {
        return stoppingCalls.get();
    }

    public Transcript echo(AudioChunk chunk) {
        return new Transcript(name + " heard " + chunk.seq(), 0.9, List.of(), chunk.language(), "test-model");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double pricePerMinuteUsd() {
        return pricePerMinute;
    }

    @Override
    public Transcript transcribe(AudioChunk chunk) throws TranscriptionException {
        calls.add(chunk);
        int call = callsPerChunk.computeIfAbsent(chunk.chunkId(), k -> new AtomicInteger()).incrementAndGet();
        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
        try {
            return behaviour.answer(chunk, call);
        } finally {
            concurrent.decrementAndGet();
        }
    }

    public List<AudioChunk> calls() {
        return calls;
    }

    public int callsFor(String chunkId) {
        AtomicInteger n = callsPerChunk.get(chunkId);
        return n == null ? 0 : n.get();
    }

    /** Most calls that ran at the same time. */
    public int maxConcurrent() {
        return maxConcurrent.get();
    }
}
