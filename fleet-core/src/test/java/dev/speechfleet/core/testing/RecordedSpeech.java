package dev.speechfleet.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recorded speech for tests: the 16 kHz mono 16-bit WAV files in {@code speech/} on the test class
 * path, which {@code scripts/make-speech.sh} makes with espeak-ng and sox from the
 * {@code speech/sentences.tsv} beside them. A test names a recording by the sentence it speaks, so
 * the sentence stays readable in the test; no test makes speech itself (SpeechFixturesTest checks).
 */
public final class RecordedSpeech {

    public static final int SAMPLE_RATE = 16_000;
    private static final String DIR = "speech/";

    private RecordedSpeech() {
    }

    /** Raw 16 kHz mono pcm_s16le of {@code sentence}, exactly as listed in {@code speech/sentences.tsv}. */
    public static byte[] pcm(String sentence) {
        String file = files().get(sentence);
        if (file == null) {
            throw new IllegalArgumentException("no recording of '" + sentence + "' in " + DIR + "sentences.tsv;"
                    + " add a row for it and run scripts/make-speech.sh (recorded: " + files().keySet() + ")");
        }
        return dataOf(read(DIR + file), file);
    }

    /** Every recorded sentence, in the order of {@code speech/sentences.tsv}. */
    public static List<String> sentences() {
        return List.copyOf(files().keySet());
    }

    /** Sentence to file name, from the tab-separated list: file, voice, words per minute, edges, sentence. */
    private static Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        for (String line : new String(read(DIR + "sentences.tsv"), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t");
            if (columns.length != 5) {
                throw new IllegalStateException(DIR + "sentences.tsv: expected 5 tab-separated columns in: " + line);
            }
            files.put(columns[4].strip(), columns[0]);
        }
        return files;
    }

    /** The samples of a WAV file, which must be 16 kHz mono 16-bit PCM. */
    private static byte[] dataOf(byte[] bytes, String name) {
        ByteBuffer wav = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || wav.getInt(0) != 0x46464952 || wav.getInt(8) != 0x45564157) {
            throw new IllegalStateException(name + " is not a RIFF/WAVE file");
        }
        boolean formatSeen = false;
        for (int at = 12; at + 8 <= bytes.length; ) {
            int id = wav.getInt(at);
            int size = wav.getInt(at + 4);
            int body = at + 8;
            if (id == 0x20746d66) {
                checkFormat(wav, body, name);
                formatSeen = true;
            } else if (id == 0x61746164 && formatSeen) {
                byte[] pcm = new byte[Math.min(size, bytes.length - body) & ~1];
                wav.get(body, pcm);
                return pcm;
            }
            at = body + size + (size & 1);
        }
        throw new IllegalStateException(name + " has no fmt chunk followed by a data chunk");
    }

    private static void checkFormat(ByteBuffer wav, int body, String name) {
        int format = wav.getShort(body);
        int channels = wav.getShort(body + 2);
        int rate = wav.getInt(body + 4);
        int bits = wav.getShort(body + 14);
        if (format != 1 || channels != 1 || rate != SAMPLE_RATE || bits != 16) {
            throw new IllegalStateException(name + " is format " + format + ", " + channels + " channel(s), " + rate
                    + " Hz, " + bits + " bit; the test speech must be 16 kHz mono 16-bit PCM");
        }
    }

    private static byte[] read(String resource) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = (loader != null ? loader : RecordedSpeech.class.getClassLoader())
                .getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test class path (src/test/resources/"
                        + resource + " of the module under test)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
