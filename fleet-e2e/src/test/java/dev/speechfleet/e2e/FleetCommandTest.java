package dev.speechfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.redis.EmbeddedRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, as {@code ./fleet} runs it: the whole fleet in one process, with its own
 * embedded Redis, streaming a generated WAV as a device and printing one line per utterance.
 */
class FleetCommandTest {

    @TempDir
    Path dir;

    @Test
    void aGeneratedWavGivesOneTranscriptLinePerUtteranceAndExitCodeZero() throws Exception {
        Path wav = speak("turn on the kitchen lights", "what is the weather today", "set a timer for ten minutes");

        Result result = fleet("--model", stubModel().toString(), "--wav", wav.toString(), "--speed", "2");

        assertThat(result.exitCode()).as("exit code; output:%n%s", result.output()).isZero();
        assertThat(result.output().lines().filter(line -> line.startsWith("dev-device #")))
                .as("transcript lines").hasSize(3).allMatch(line -> line.contains(" whisper "));
        assertThat(result.output()).contains("3 result(s) (3 transcript(s), 0 error(s)), in order, no gaps");
    }

    @Test
    void withoutAnyProviderItSaysSoAndExitsNonZero() throws Exception {
        Result result = fleet("--model", dir.resolve("no-such-model.bin").toString(), "--say", "hello");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).contains("no speech-to-text provider is available")
                .contains("no-such-model.bin does not exist").contains("DEEPGRAM_API_KEY");
    }

    private record Result(int exitCode, String output) {
    }

    private Result fleet(String... args) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("fleet.root", ".."));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-Dwhisper.native-dir=" + root.resolve("fleet-e2e/target/whisper-native"),
                "-jar", root.resolve("fleet-app/target/quarkus-app/quarkus-run.jar").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        List.of("REDIS_URL", "WHISPER_MODEL", "DEEPGRAM_API_KEY", "ASSEMBLYAI_API_KEY", "PARAKEET_BASE_URL")
                .forEach(env::remove);
        env.put("FLEET_PORT", Integer.toString(EmbeddedRedis.freePort()));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static Path stubModel() {
        return Path.of(System.getProperty("fleet.root", ".."), "../shared/models/for-tests-ggml-tiny.en.bin")
                .toAbsolutePath().normalize();
    }

    /** A 16 kHz mono WAV of the sentences with 800 ms pauses, made with espeak-ng and sox. */
    private Path speak(String... sentences) throws IOException, InterruptedException {
        Path wav = dir.resolve("speech.wav");
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < sentences.length; i++) {
            Path part = dir.resolve("part" + i + ".wav");
            exec("espeak-ng", "-w", part.toString(), sentences[i]);
            Path padded = dir.resolve("padded" + i + ".wav");
            exec("sox", part.toString(), "-r", "16000", "-c", "1", "-b", "16", padded.toString(), "pad", "0.3", "0.8");
            parts.add(padded.toString());
        }
        List<String> concat = new ArrayList<>(List.of("sox"));
        concat.addAll(parts);
        concat.add(wav.toString());
        exec(concat.toArray(String[]::new));
        return wav;
    }

    private static void exec(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0)
                .as("%s: %s", String.join(" ", command), output).isTrue();
    }
}
