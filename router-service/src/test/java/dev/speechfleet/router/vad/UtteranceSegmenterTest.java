package dev.speechfleet.router.vad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.testing.RecordedSpeech;
import dev.speechfleet.client.Pcm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The VAD on recorded espeak-ng speech (trimmed to the speech edges, see src/test/resources/speech) laid
 * over a noise bed with pauses of known length: utterance boundaries within 150 ms of where the speech
 * is, nothing cut from silence.
 */
class UtteranceSegmenterTest {

    private static final int RATE = 16000;
    private static final long TOLERANCE_MS = 150;
    private static final double NOISE_RMS = 100; // about -50 dBFS: a quiet room through a MEMS microphone

    private static List<short[]> sentences;

    /** Where a clip of speech lies in the session audio. */
    private record Span(long startMs, long endMs) {
    }

    @BeforeAll
    static void speak() {
        sentences = List.of(
                Pcm.samples(RecordedSpeech.pcm("The weather station reports light rain this morning")),
                Pcm.samples(RecordedSpeech.pcm("Please turn on the kitchen lights")),
                Pcm.samples(RecordedSpeech.pcm("Seven")));
    }

    @Test
    void utteranceBoundariesAreWithin150MsOfThePauses() {
        List<Span> truth = new ArrayList<>();
        short[] session = layOut(new int[] {1200, 800, 1500, 1000}, truth);

        List<Utterance> utterances = segment(session, 20);

        assertThat(utterances).hasSize(truth.size());
        for (int i = 0; i < truth.size(); i++) {
            Utterance u = utterances.get(i);
            System.out.printf("[vad] utterance %d: start %+d ms, end %+d ms from the speech edges%n", i,
                    u.startMs() - truth.get(i).startMs(), u.endMs() - truth.get(i).endMs());
            assertThat(Math.abs(u.startMs() - truth.get(i).startMs())).as("start of utterance %d", i)
                    .isLessThanOrEqualTo(TOLERANCE_MS);
            assertThat(Math.abs(u.endMs() - truth.get(i).endMs())).as("end of utterance %d", i)
                    .isLessThanOrEqualTo(TOLERANCE_MS);
            assertThat(u.pcm()).hasSize((int) (u.durationMs() * RATE / 1000 * 2));
        }
    }

    @Test
    void preRollKeepsTheFirstSyllable() {
        List<Span> truth = new ArrayList<>();
        short[] session = layOut(new int[] {1000, 1000, 1000, 1000}, truth);

        List<Utterance> utterances = segment(session, 20);

        for (int i = 0; i < truth.size(); i++) {
            assertThat(utterances.get(i).startMs()).as("utterance %d starts no later than its speech", i)
                    .isLessThanOrEqualTo(truth.get(i).startMs());
        }
    }

    @Test
    void noiseAloneNeverBecomesAnUtterance() {
        byte[] noise = Pcm.noise(RATE, 10_000, NOISE_RMS, 7);
        UtteranceSegmenter segmenter = new UtteranceSegmenter(VadSettings.defaults(), RATE);

        List<Utterance> utterances = new ArrayList<>(feedInFrames(segmenter, noise, 40));
        segmenter.flush().ifPresent(utterances::add);

        assertThat(utterances).isEmpty();
    }

    @Test
    void everyUtteranceOverlapsSpeech() {
        List<Span> truth = new ArrayList<>();
        short[] session = layOut(new int[] {600, 2000, 700, 1500}, truth);

        for (Utterance u : segment(session, 100)) {
            assertThat(truth).as("speech under %d..%d ms", u.startMs(), u.endMs())
                    .anyMatch(s -> s.startMs() < u.endMs() && u.startMs() < s.endMs());
            assertThat(u.speechMs()).isGreaterThanOrEqualTo(VadSettings.defaults().minUtteranceMs());
        }
    }

    @Test
    void aClickShorterThanTheMinimumIsDropped() {
        byte[] audio = Pcm.concat(Pcm.noise(RATE, 1000, NOISE_RMS, 1), Pcm.tone(RATE, 80, 12000),
                Pcm.noise(RATE, 1500, NOISE_RMS, 2));

        assertThat(segment(Pcm.samples(audio), 20)).isEmpty();
    }

    @Test
    void flushCutsTheUtteranceInProgressAtOnce() {
        short[] first = sentences.getFirst();
        byte[] audio = Pcm.concat(Pcm.noise(RATE, 800, NOISE_RMS, 3),
                Pcm.bytes(Arrays.copyOf(first, first.length / 2)));
        UtteranceSegmenter segmenter = new UtteranceSegmenter(VadSettings.defaults(), RATE);

        assertThat(feedInFrames(segmenter, audio, 20)).isEmpty();
        Utterance cut = segmenter.flush().orElseThrow();

        assertThat(cut.forced()).isTrue();
        assertThat(cut.endMs()).isCloseTo(segmenter.positionMs(), org.assertj.core.data.Offset.offset(TOLERANCE_MS));
        assertThat(segmenter.flush()).isEmpty();
    }

    @Test
    void continuousSoundIsCutAtTheMaximumLength() {
        VadSettings settings = new VadSettings(20, 10, -50, 100, 40, 400, 100, 200, 2000, 3);
        UtteranceSegmenter segmenter = new UtteranceSegmenter(settings, RATE);
        byte[] audio = Pcm.concat(Pcm.noise(RATE, 500, NOISE_RMS, 4), Pcm.tone(RATE, 5000, 8000));

        List<Utterance> utterances = feedInFrames(segmenter, audio, 20);

        assertThat(utterances).hasSize(2);
        assertThat(utterances).allSatisfy(u -> {
            assertThat(u.durationMs()).isEqualTo(2000);
            assertThat(u.forced()).isTrue();
        });
        assertThat(utterances.get(1).startMs()).isEqualTo(utterances.get(0).endMs());
    }

    @Test
    void theNoiseFloorFollowsALouderBackground() {
        UtteranceSegmenter segmenter = new UtteranceSegmenter(VadSettings.defaults(), RATE);
        feedInFrames(segmenter, Pcm.noise(RATE, 2000, 30, 5), 20);
        double quiet = segmenter.noiseFloorDb();

        feedInFrames(segmenter, Pcm.noise(RATE, 8000, 300, 6), 20);

        assertThat(segmenter.noiseFloorDb()).isGreaterThan(quiet + 15);
    }

    /** Noise bed with the sentences placed after the given pauses; records where each sentence lies. */
    private static short[] layOut(int[] pausesMs, List<Span> truth) {
        int total = 0;
        for (int i = 0; i < pausesMs.length; i++) {
            total += pausesMs[i] * RATE / 1000 + (i < sentences.size() ? sentences.get(i).length : 0);
        }
        short[] session = Pcm.samples(Pcm.noise(RATE, total * 1000 / RATE + 1, NOISE_RMS, 42));
        int at = 0;
        for (int i = 0; i < sentences.size(); i++) {
            at += pausesMs[i] * RATE / 1000;
            Pcm.mixInto(session, sentences.get(i), at);
            truth.add(new Span(at * 1000L / RATE, (at + sentences.get(i).length) * 1000L / RATE));
            at += sentences.get(i).length;
        }
        return session;
    }

    private static List<Utterance> segment(short[] session, int frameMs) {
        UtteranceSegmenter segmenter = new UtteranceSegmenter(VadSettings.defaults(), RATE);
        List<Utterance> utterances = new ArrayList<>(feedInFrames(segmenter, Pcm.bytes(session), frameMs));
        segmenter.flush().ifPresent(utterances::add);
        return utterances;
    }

    private static List<Utterance> feedInFrames(UtteranceSegmenter segmenter, byte[] pcm, int frameMs) {
        int frameBytes = RATE * frameMs / 1000 * 2;
        List<Utterance> out = new ArrayList<>();
        for (int offset = 0; offset < pcm.length; offset += frameBytes) {
            out.addAll(segmenter.feed(Arrays.copyOfRange(pcm, offset, Math.min(pcm.length, offset + frameBytes))));
        }
        return out;
    }
}
