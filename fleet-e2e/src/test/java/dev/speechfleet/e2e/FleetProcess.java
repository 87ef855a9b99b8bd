package dev.speechfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.redis.EmbeddedRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./fleet}'s jar run as a new user runs it: no provider keys or Redis URL in the environment,
 * a PATH without any program on it (the fleet needs none unless asked to speak text), a free port,
 * and a home directory of its own (the model cache lives there).
 */
final class FleetProcess {

    static final Path ROOT = Path.of(System.getProperty("fleet.root", ".."));

    /** What a finished run printed (stdout and stderr) and how it exited. */
    record Result(int exitCode, String output) {
    }

    private FleetProcess() {
    }

    /** The command, ready to start; {@code env} adds to (or overrides) the clean environment. */
    static ProcessBuilder command(Path dir, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx512m",
                "-Duser.home=" + Files.createDirectories(dir.resolve("home")),
                "-Dwhisper.native-dir=" + ROOT.resolve("fleet-e2e/target/whisper-native"),
                "-jar", ROOT.resolve("fleet-app/target/quarkus-app/quarkus-run.jar").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        List.of("REDIS_URL", "WHISPER_MODEL", "WHISPER_MODEL_BASE_URL", "DEEPGRAM_API_KEY", "ASSEMBLYAI_API_KEY",
                "PARAKEET_BASE_URL", "JAVA_TOOL_OPTIONS").forEach(environment::remove);
        environment.put("FLEET_PORT", Integer.toString(EmbeddedRedis.freePort()));
        environment.put("PATH", Files.createDirectories(dir.resolve("empty-path")).toString());
        environment.putAll(env);
        return builder;
    }

    /** Runs the command to its end (at most 180 s). */
    static Result run(ProcessBuilder command) throws Exception {
        Process process = command.start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process));
        boolean exited = process.waitFor(180, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String printed = output.get(30, TimeUnit.SECONDS);
        assertThat(exited).as("the fleet exits by itself; it printed:%n%s", printed).isTrue();
        return new Result(process.exitValue(), printed);
    }

    /** The test model beside the repository: a vocabulary, no weights. */
    static Path stubModel() {
        return ROOT.resolve("../shared/models/for-tests-ggml-tiny.en.bin").toAbsolutePath().normalize();
    }

    private static String readAll(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
