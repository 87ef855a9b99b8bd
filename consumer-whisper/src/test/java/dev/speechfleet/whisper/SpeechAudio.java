package dev.speechfleet.whisper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Speech generated at test time with espeak-ng and sox: 16 kHz mono pcm_s16le, as devices send it. */
public final class SpeechAudio {

    private SpeechAudio() {
    }

    /** {@code text} spoken, as raw PCM of its natural length. */
    public static byte[] speak(String text, Path workDir) {
        return render(text, workDir, List.of());
    }

    /** {@code text} spoken, cut or padded with silence to exactly {@code seconds}. */
    public static byte[] speak(String text, double seconds, Path workDir) {
        String length = String.format(Locale.ROOT, "%.3f", seconds);
        return render(text, workDir, List.of("pad", "0", length, "trim", "0", length));
    }

    private static byte[] render(String text, Path workDir, List<String> effects) {
        try {
            Path wav = Files.createTempFile(workDir, "speech", ".wav");
            Path raw = Files.createTempFile(workDir, "speech", ".raw");
            run(List.of("espeak-ng", "-v", "en-us", "-s", "160", "-w", wav.toString(), text));
            List<String> sox = new java.util.ArrayList<>(List.of("sox", wav.toString(), "-r", "16000", "-c", "1",
                    "-b", "16", "-e", "signed-integer", "-L", "-t", "raw", raw.toString()));
            sox.addAll(effects);
            run(sox);
            return Files.readAllBytes(raw);
        } catch (IOException e) {
            throw new IllegalStateException("cannot generate speech (are espeak-ng and sox installed?)", e);
        }
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
