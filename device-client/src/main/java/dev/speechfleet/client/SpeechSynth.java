package dev.speechfleet.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Speech made on this machine: {@code espeak-ng} speaks the text, {@code sox} turns it into 16 kHz
 * mono 16-bit PCM. Sentences separated by {@code |} are joined with 800 ms of silence, so that each
 * becomes its own utterance.
 */
public final class SpeechSynth {

    public static final int SAMPLE_RATE = 16_000;
    private static final int PAUSE_MS = 800;

    private SpeechSynth() {
    }

    public static PcmAudio say(String text, String language) throws IOException, InterruptedException {
        java.io.ByteArrayOutputStream pcm = new java.io.ByteArrayOutputStream();
        pcm.write(PcmAudio.silence(SAMPLE_RATE, 300));
        for (String sentence : text.split("\\|")) {
            if (!sentence.isBlank()) {
                pcm.write(speak(sentence.strip(), language));
                pcm.write(PcmAudio.silence(SAMPLE_RATE, PAUSE_MS));
            }
        }
        return new PcmAudio(pcm.toByteArray(), SAMPLE_RATE);
    }

    private static byte[] speak(String sentence, String language) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("speech");
        try {
            Path spoken = dir.resolve("spoken.wav");
            Path raw = dir.resolve("speech.raw");
            exec(List.of("espeak-ng", "-v", language, "-w", spoken.toString(), sentence));
            exec(List.of("sox", spoken.toString(), "-r", Integer.toString(SAMPLE_RATE), "-c", "1", "-b", "16",
                    "-e", "signed-integer", "-t", "raw", raw.toString()));
            return Files.readAllBytes(raw);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(command.getFirst() + " is needed to generate speech (apt-get install espeak-ng sox)", e);
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
