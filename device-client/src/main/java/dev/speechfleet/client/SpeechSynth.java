package dev.speechfleet.client;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Speech made on this machine: {@code espeak-ng} speaks the text, {@code sox} turns it into 16 kHz
 * mono 16-bit PCM. Sentences separated by {@code |} are joined with 800 ms of silence, so that each
 * becomes its own utterance.
 */
public final class SpeechSynth {

    public static final int SAMPLE_RATE = 16_000;
    /** The programs speaking needs; neither is needed for WAV files or the bundled sample. */
    public static final List<String> TOOLS = List.of("espeak-ng", "sox");
    /** How to install {@link #TOOLS}. */
    public static final String INSTALL = "apt-get install espeak-ng sox on Debian and Ubuntu, brew install espeak-ng sox"
            + " on macOS";
    private static final int LEAD_MS = 300;
    private static final int PAUSE_MS = 800;

    private SpeechSynth() {
    }

    public static PcmAudio say(String text, String language) throws IOException, InterruptedException {
        requireTools(System.getenv("PATH"));
        List<byte[]> sentences = new ArrayList<>();
        for (String sentence : text.split("\\|")) {
            if (!sentence.isBlank()) {
                sentences.add(speak(sentence.strip(), language));
            }
        }
        return join(sentences);
    }

    /**
     * Sentences as one recording: 300 ms of silence first and 800 ms after each sentence, the layout
     * {@link #say} gives spoken text.
     */
    public static PcmAudio join(List<byte[]> sentences) {
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        pcm.writeBytes(Pcm.silence(SAMPLE_RATE, LEAD_MS));
        for (byte[] sentence : sentences) {
            pcm.writeBytes(sentence);
            pcm.writeBytes(Pcm.silence(SAMPLE_RATE, PAUSE_MS));
        }
        return new PcmAudio(pcm.toByteArray(), SAMPLE_RATE);
    }

    /** The speech tools that no directory of {@code path} (a PATH value) holds as an executable. */
    public static List<String> missingTools(String path) {
        List<String> dirs = path == null || path.isEmpty() ? List.of() : List.of(path.split(File.pathSeparator));
        return TOOLS.stream()
                .filter(tool -> dirs.stream().filter(dir -> !dir.isEmpty())
                        .noneMatch(dir -> Files.isExecutable(Path.of(dir, tool))))
                .toList();
    }

    /** What is missing and what to install, or empty when {@code path} holds both tools. */
    public static Optional<String> whatToInstall(String path) {
        List<String> missing = missingTools(path);
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        String which = missing.size() == TOOLS.size() ? "which are not installed"
                : "and " + String.join(" and ", missing) + " is not installed";
        return Optional.of("speaking text needs espeak-ng and sox, " + which + " (" + INSTALL + ")");
    }

    static void requireTools(String path) throws IOException {
        Optional<String> problem = whatToInstall(path);
        if (problem.isPresent()) {
            throw new IOException(problem.get() + "; a WAV file (--wav) needs neither");
        }
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
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.getFirst() + " (" + e.getMessage() + "): " + INSTALL, e);
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
