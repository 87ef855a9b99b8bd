package dev.speechfleet.router.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Speech generated at test time: espeak-ng speaks the text to a WAV file, sox turns it into 16 kHz
 * mono s16le and trims espeak's own leading and trailing silence, so the clip is speech edge to edge.
 */
public final class Speech {

    private Speech() {
    }

    /** Raw 16 kHz mono s16le of {@code text}. */
    public static byte[] say(String text, Path workDir) {
        try {
            Path wav = Files.createTempFile(workDir, "speech", ".wav");
            Path raw = Files.createTempFile(workDir, "speech", ".raw");
            run(List.of("espeak-ng", "-v", "en-us", "-s", "150", "-w", wav.toString(), text));
            run(List.of("sox", wav.toString(), "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer",
                    "-t", "raw", raw.toString(), "silence", "1", "0.01", "0.5%", "reverse", "silence", "1", "0.01",
                    "0.5%", "reverse"));
            return Files.readAllBytes(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command.getFirst() + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted running " + command.getFirst(), e);
        }
    }
}
