package dev.speechfleet.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Prints a scenario's figures and appends them to {@code fleet-bench/target/bench-results/<scenario>.md},
 * so a run's figures survive the console.
 */
final class BenchReport {

    private final Path file;

    BenchReport(String scenario) {
        Path dir = BenchProcess.root().resolve("fleet-bench/target/bench-results");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.file = dir.resolve(scenario + ".md");
        line("");
        line("## " + scenario + ", " + Instant.now() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
    }

    void line(String text) {
        System.out.println("[bench] " + text);
        try {
            Files.writeString(file, text + System.lineSeparator(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void line(String format, Object... args) {
        line(String.format(java.util.Locale.ROOT, format, args));
    }
}
