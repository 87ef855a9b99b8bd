package dev.speechfleet.whisper.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.testing.RecordedSpeech;
import dev.speechfleet.whisper.TestModels;
import dev.speechfleet.whisper.nativelib.NativeLibrary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two states driven from two threads at once give exactly the results of one state used by one
 * thread, on the real native library, and the process survives it (one shared state or a {@code full}
 * on the shared context from two threads crashes the JVM).
 */
class WhisperEngineConcurrencyTest {

    static List<float[]> utterances;

    @BeforeAll
    static void loadLibraryAndSpeech() {
        NativeLibrary.load(TestModels.nativeDir());
        utterances = List.of(
                Pcm16.toSamples(RecordedSpeech.pcm("turn on the kitchen lights")),
                Pcm16.toSamples(RecordedSpeech.pcm("what is the weather like tomorrow")),
                Pcm16.toSamples(RecordedSpeech.pcm("seven")));
    }

    /**
     * Many chunks with the vocab-only model: it runs the whole native pipeline per call but writes no
     * text, so this proves stability and equal (empty) results, quickly.
     */
    @Test
    void manyChunksOnTwoStatesFromTwoThreadsMatchASingleThreadedRun() throws Exception {
        compareConcurrentWithSingleThreaded(TestModels.model(TestModels.VOCAB_ONLY), new DecodingSettings(1, 1), 2);
    }

    /**
     * The random-weight tiny.en model writes nonsense text that is still a function of the audio
     * alone, so a state shared between threads or drifting between calls shows as different text.
     * It writes text only without timestamps, and then decodes up to Whisper's token limit, which
     * takes tens of seconds per call on two cores: hence slow.
     */
    @Test
    @Tag("slow")
    void textOfTheRandomModelIsTheSameOnTwoStatesAsOnOne() throws Exception {
        List<List<Segment>> single = compareConcurrentWithSingleThreaded(TestModels.model(TestModels.RANDOM_TINY_EN),
                new DecodingSettings(1, 1, false), 1);
        assertThat(single).as("the model must write text, or the comparison proves nothing")
                .anySatisfy(segments -> assertThat(segments).isNotEmpty());
    }

    /** @return the single-threaded results, after asserting that each concurrent run equals them */
    private static List<List<Segment>> compareConcurrentWithSingleThreaded(Path model, DecodingSettings decoding,
            int rounds) throws Exception {
        List<List<Segment>> expected = new ArrayList<>();
        try (WhisperEngine single = WhisperEngine.load(model, "test", 1, decoding)) {
            for (float[] samples : utterances) {
                expected.add(single.transcribe(samples, "en").segments());
            }
        }
        List<List<Segment>> expectedRounds = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            expectedRounds.addAll(expected);
        }
        try (WhisperEngine pooled = WhisperEngine.load(model, "test", 2, decoding);
                ExecutorService threads = Executors.newFixedThreadPool(2)) {
            List<Future<List<List<Segment>>>> runs = List.of(threads.submit(everyUtterance(pooled, rounds, 0)),
                    threads.submit(everyUtterance(pooled, rounds, 1)));
            for (Future<List<List<Segment>>> run : runs) {
                assertThat(run.get()).isEqualTo(expectedRounds);
            }
        }
        return expected;
    }

    /** Every utterance {@code rounds} times, the two threads starting at different utterances. */
    private static Callable<List<List<Segment>>> everyUtterance(WhisperEngine engine, int rounds, int offset) {
        return () -> {
            int total = rounds * utterances.size();
            List<List<Segment>> results = new ArrayList<>(java.util.Collections.nCopies(total, null));
            for (int n = 0; n < total; n++) {
                int i = (n + offset) % total;
                results.set(i, engine.transcribe(utterances.get(i % utterances.size()), "en").segments());
            }
            return results;
        };
    }
}
