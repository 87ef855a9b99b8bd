package dev.speechfleet.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample recording that ships in this jar: four sentences recorded with espeak-ng and sox by
 * {@code scripts/make-speech.sh} (listed in {@code sample/sentences.tsv} beside them), streamed with
 * the pauses {@link SpeechSynth#join} puts between spoken sentences. It needs no speech tools.
 */
public final class SampleSpeech {

    private static final String DIR = "sample/";

    private SampleSpeech() {
    }

    /** The sentences of the sample, in the order they are spoken. */
    public static List<String> sentences() {
        return List.copyOf(files().keySet());
    }

    /** The whole sample: 300 ms of silence, then every sentence followed by 800 ms of silence. */
    public static PcmAudio recording() {
        List<byte[]> sentences = new ArrayList<>();
        for (String sentence : sentences()) {
            sentences.add(sentence(sentence).pcm());
        }
        return SpeechSynth.join(sentences);
    }

    /** The recording of one sentence of the sample, without pauses. */
    public static PcmAudio sentence(String sentence) {
        String file = files().get(sentence);
        if (file == null) {
            throw new IllegalArgumentException("the sample has no sentence '" + sentence + "'; it has " + sentences());
        }
        try (InputStream in = open(file)) {
            PcmAudio audio = PcmAudio.readWav(in, DIR + file);
            if (audio.sampleRate() != SpeechSynth.SAMPLE_RATE) {
                throw new IllegalStateException(DIR + file + " is " + audio.sampleRate() + " Hz, not 16 kHz");
            }
            return audio;
        } catch (IOException e) {
            throw new UncheckedIOException("the sample recording " + DIR + file + " cannot be read", e);
        }
    }

    /** Sentence to file, from {@code sentences.tsv}: file, voice, words per minute, edges, sentence. */
    private static Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        try (InputStream in = open("sentences.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] columns = line.split("\t");
                if (!line.isBlank() && !line.startsWith("#") && columns.length == 5) {
                    files.put(columns[4].strip(), columns[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the sample's sentences.tsv cannot be read", e);
        }
        return files;
    }

    private static InputStream open(String file) throws IOException {
        InputStream in = SampleSpeech.class.getResourceAsStream(DIR + file);
        if (in == null) {
            throw new IOException(DIR + file + " is missing from the device-client jar");
        }
        return in;
    }
}
