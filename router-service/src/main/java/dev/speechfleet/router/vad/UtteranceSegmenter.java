package dev.speechfleet.router.vad;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Energy voice-activity detection over a mono s16le stream, cutting it into utterances.
 *
 * <p>Each frame's level (dBFS) is compared with an adaptive noise floor: a frame is speech when it is
 * {@code thresholdDb} above the floor and above {@code minSpeechDbfs}. The floor falls at once to a
 * quieter frame and rises by at most {@code floorRiseDbPerSecond}, so it follows a louder background
 * within seconds while the short pauses between words keep pulling it back under speech. It starts at the first frame's level, capped at
 * {@code minSpeechDbfs}, so a session that opens mid-word still detects it.
 *
 * <p>An utterance starts after {@code onsetMs} of speech and includes {@code preRollMs} before it (a
 * soft first syllable is below the threshold); it ends after {@code hangoverMs} of non-speech and keeps
 * {@code tailMs} after its last speech frame. Utterances with less than {@code minUtteranceMs} of
 * speech are dropped, so silence and clicks never reach a provider. Not thread-safe: one per session.
 */
public final class UtteranceSegmenter {

    private record Frame(long startSample, byte[] pcm, boolean speech) {
    }

    private final VadSettings settings;
    private final int sampleRate;
    private final int frameBytes;
    private final int preRollFrames;
    private final int onsetFrames;
    private final int hangoverFrames;
    private final int tailFrames;

    private final byte[] partial;
    private int partialLength;
    private long nextSample;
    private double floorDb = Double.NaN;

    private final Deque<Frame> recent = new ArrayDeque<>();
    private int speechRun;
    private List<Frame> current;
    private int silentRun;
    private int lastSpeechIndex;
    private int speechFrames;

    public UtteranceSegmenter(VadSettings settings, int sampleRate) {
        this(settings, sampleRate, 0);
    }

    /**
     * A segmenter whose clock starts at {@code startMs} of session audio: a resumed session goes on
     * with the offsets it had, so utterance times stay increasing across sockets.
     */
    public UtteranceSegmenter(VadSettings settings, int sampleRate, long startMs) {
        this.settings = settings;
        this.nextSample = startMs * sampleRate / 1000;
        this.sampleRate = sampleRate;
        int frameSamples = sampleRate * settings.frameMs() / 1000;
        this.frameBytes = frameSamples * 2;
        this.preRollFrames = settings.preRollMs() / settings.frameMs();
        this.onsetFrames = Math.max(1, settings.onsetMs() / settings.frameMs());
        this.hangoverFrames = Math.max(1, settings.hangoverMs() / settings.frameMs());
        this.tailFrames = settings.tailMs() / settings.frameMs();
        this.partial = new byte[frameBytes];
    }

    /** Feeds PCM (whole samples); returns the utterances it completed. */
    public List<Utterance> feed(byte[] pcm) {
        List<Utterance> done = new ArrayList<>(1);
        int offset = 0;
        while (offset < pcm.length) {
            int take = Math.min(frameBytes - partialLength, pcm.length - offset);
            System.arraycopy(pcm, offset, partial, partialLength, take);
            partialLength += take;
            offset += take;
            if (partialLength == frameBytes) {
                partialLength = 0;
                analyse(partial.clone()).ifPresent(done::add);
            }
        }
        return done;
    }

    /** Cuts the utterance in progress now ({@code flush}); empty when there is none worth sending. */
    public Optional<Utterance> flush() {
        if (current == null) {
            return Optional.empty();
        }
        List<Frame> frames = current;
        current = null;
        speechRun = 0;
        recent.clear();
        return emit(frames.subList(0, Math.min(frames.size(), lastSpeechIndex + 1 + tailFrames)), true);
    }

    /** Milliseconds of audio consumed so far. */
    public long positionMs() {
        return samplesToMs(nextSample + partialLength / 2);
    }

    /**
     * Milliseconds of audio before which nothing can become part of an utterance any more: the
     * start of the utterance in progress, else of the pre-roll frames kept for the next one.
     */
    public long settledMs() {
        if (current != null && !current.isEmpty()) {
            return samplesToMs(current.getFirst().startSample());
        }
        if (!recent.isEmpty()) {
            return samplesToMs(recent.peekFirst().startSample());
        }
        return samplesToMs(nextSample);
    }

    /** The current noise floor in dBFS (for tests and diagnostics). */
    public double noiseFloorDb() {
        return floorDb;
    }

    private Optional<Utterance> analyse(byte[] pcm) {
        double level = levelDbfs(pcm);
        if (Double.isNaN(floorDb)) {
            // Capped so that a session opening mid-word still sees the word as speech.
            floorDb = Math.min(level, settings.minSpeechDbfs());
        }
        boolean speech = level >= Math.max(floorDb + settings.thresholdDb(), settings.minSpeechDbfs());
        Frame frame = new Frame(nextSample, pcm, speech);
        nextSample += pcm.length / 2;
        adaptFloor(level);
        return current == null ? inSilence(frame) : inUtterance(frame);
    }

    private Optional<Utterance> inSilence(Frame frame) {
        recent.addLast(frame);
        while (recent.size() > preRollFrames + onsetFrames) {
            recent.removeFirst();
        }
        speechRun = frame.speech() ? speechRun + 1 : 0;
        if (speechRun >= onsetFrames) {
            current = new ArrayList<>(recent);
            recent.clear();
            speechFrames = speechRun;
            lastSpeechIndex = current.size() - 1;
            silentRun = 0;
        }
        return Optional.empty();
    }

    private Optional<Utterance> inUtterance(Frame frame) {
        current.add(frame);
        if (frame.speech()) {
            speechFrames++;
            silentRun = 0;
            lastSpeechIndex = current.size() - 1;
        } else {
            silentRun++;
        }
        if (silentRun >= hangoverFrames) {
            return endAtPause();
        }
        if (samplesToMs((long) current.size() * frameBytes / 2) >= settings.maxUtteranceMs()) {
            List<Frame> frames = current;
            current = new ArrayList<>();
            lastSpeechIndex = -1;
            return emit(frames, true);
        }
        return Optional.empty();
    }

    private Optional<Utterance> endAtPause() {
        int cut = Math.min(current.size(), lastSpeechIndex + 1 + tailFrames);
        List<Frame> frames = current;
        current = null;
        speechRun = 0;
        recent.clear();
        // What followed the tail is silence: it becomes the pre-roll of the next utterance.
        frames.subList(cut, frames.size()).forEach(recent::addLast);
        while (recent.size() > preRollFrames + onsetFrames) {
            recent.removeFirst();
        }
        return emit(frames.subList(0, cut), false);
    }

    private Optional<Utterance> emit(List<Frame> frames, boolean forced) {
        long speech = frames.stream().filter(Frame::speech).count();
        if (frames.isEmpty() || samplesToMs(speech * frameBytes / 2) < settings.minUtteranceMs()) {
            return Optional.empty();
        }
        ByteArrayOutputStream audio = new ByteArrayOutputStream(frames.size() * frameBytes);
        frames.forEach(f -> audio.writeBytes(f.pcm()));
        long start = frames.getFirst().startSample();
        long samples = audio.size() / 2;
        return Optional.of(new Utterance(samplesToMs(start), samplesToMs(samples), samplesToMs(speech * frameBytes / 2),
                audio.toByteArray(), forced));
    }

    private void adaptFloor(double level) {
        if (level < floorDb) {
            floorDb = level;
            return;
        }
        double maxRise = settings.floorRiseDbPerSecond() * settings.frameMs() / 1000.0;
        floorDb = Math.min(level, floorDb + maxRise);
    }

    private long samplesToMs(long samples) {
        return samples * 1000 / sampleRate;
    }

    /** RMS level in dB relative to full scale; -120 for digital silence. */
    static double levelDbfs(byte[] pcm) {
        double sum = 0;
        int samples = pcm.length / 2;
        for (int i = 0; i < samples; i++) {
            int s = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
            sum += (double) s * s;
        }
        double meanSquare = sum / Math.max(1, samples) / (32768.0 * 32768.0);
        return meanSquare <= 1e-12 ? -120 : 10 * Math.log10(meanSquare);
    }
}
