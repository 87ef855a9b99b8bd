package dev.speechfleet.router.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The protocol examples of {@code docs/protocol/}: the same files the firmware's host tests read. */
public final class Examples {

    private static final Path DIR = Path.of("..", "docs", "protocol");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Examples() {
    }

    /** The example's text, as a device or the router sends it. */
    public static String text(String name) {
        try {
            return Files.readString(DIR.resolve(name + ".json")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("missing protocol example " + name, e);
        }
    }

    public static JsonNode json(String name) {
        try {
            return JSON.readTree(text(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every example file name, without {@code .json}. */
    public static java.util.List<String> names() {
        try (var files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
