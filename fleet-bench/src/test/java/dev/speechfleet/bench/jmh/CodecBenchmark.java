package dev.speechfleet.bench.jmh;

import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.EntryFields;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.TranscriptResult;
import dev.speechfleet.core.stream.TranscriptResultCodec;
import dev.speechfleet.core.stream.WordTiming;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The entry codecs every utterance goes through once or more: the audio entry (router encodes,
 * worker decodes; 100 ms of PCM), the hypothesis (worker encodes, aggregator decodes), the result
 * (aggregator encodes, router decodes). Fields as the router and the worker fill them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {

    private AudioChunk chunk;
    private EntryFields chunkFields;
    private Hypothesis hypothesis;
    private EntryFields hypothesisFields;
    private TranscriptResult result;
    private EntryFields resultFields;

    @Setup
    public void prepare() {
        String session = "3f1c2a9e-8b7d-4c55-9a61-0d2e4f6a8b10";
        chunk = new AudioChunk(session + ":17", session, "kitchen-esp32-04", 17, new byte[3200], null, "pcm_s16le",
                16000, 52_340, 100, "en", "balanced", "policy=balanced score=0.1873 est_latency_ms=312 queued=3"
                + " candidates=parakeet:0.1873,deepgram:0.2410,whisper:0.6120", List.of("deepgram", "whisper"), 1,
                "parakeet", List.of(), ChunkMode.SINGLE, List.of(), 1_764_470_000_000L, null,
                List.of("Kitchen", "Hue lights"));
        chunkFields = AudioChunkCodec.encode(chunk);
        List<WordTiming> words = List.of(new WordTiming("turn", 0, 180, 0.97), new WordTiming("on", 180, 300, 0.95),
                new WordTiming("the", 300, 380, 0.93), new WordTiming("kitchen", 380, 820, 0.91),
                new WordTiming("lights", 820, 1240, 0.96));
        hypothesis = new Hypothesis(chunk.chunkId(), session, chunk.deviceId(), 17, "parakeet", true,
                "turn on the kitchen lights", 0.94, words, "en", "parakeet-tdt-0.6b-v2", 52_340, 1_400, 212,
                0.0000280, 1, ChunkMode.SINGLE, List.of(), 1_764_470_000_000L, 1_764_470_000_230L, "", null,
                List.of());
        hypothesisFields = HypothesisCodec.encode(hypothesis);
        result = new TranscriptResult(chunk.chunkId(), session, chunk.deviceId(), 17, true,
                "turn on the kitchen lights", 0.94, "parakeet", List.of("parakeet"), 1.0, words.stream()
                        .map(w -> new TranscriptResult.ResultWord(w.word(), w.startMs(), w.endMs(), w.confidence(),
                                "parakeet")).toList(), 52_340, 53_740, 231, 0.000028, ChunkMode.SINGLE, "", "",
                1_764_470_000_231L, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        resultFields = TranscriptResultCodec.encode(result);
    }

    @Benchmark
    public EntryFields audioEntryEncode() {
        return AudioChunkCodec.encode(chunk);
    }

    @Benchmark
    public AudioChunk audioEntryDecode() {
        return AudioChunkCodec.decode(chunkFields);
    }

    @Benchmark
    public EntryFields hypothesisEncode() {
        return HypothesisCodec.encode(hypothesis);
    }

    @Benchmark
    public Hypothesis hypothesisDecode() {
        return HypothesisCodec.decode(hypothesisFields);
    }

    @Benchmark
    public EntryFields resultEncode() {
        return TranscriptResultCodec.encode(result);
    }

    @Benchmark
    public TranscriptResult resultDecode() {
        return TranscriptResultCodec.decode(resultFields);
    }
}
