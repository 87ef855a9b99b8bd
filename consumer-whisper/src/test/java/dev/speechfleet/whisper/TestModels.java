package dev.speechfleet.whisper;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared test models in {@code ../shared/models} beside the repository (see /work/shared/models/SOURCE.md). */
public final class TestModels {

    /** whisper.cpp's vocab-only tiny.en: loads and runs, returns empty text. */
    public static final String VOCAB_ONLY = "for-tests-ggml-tiny.en.bin";
    /** tiny.en shapes filled with random weights: real compute cost, nonsense text. */
    public static final String RANDOM_TINY_EN = "rand-tiny.en.bin";

    private TestModels() {
    }

    public static Path model(String fileName) {
        String dir = System.getProperty("test-models.dir", "../../shared/models");
        Path model = Path.of(dir).resolve(fileName);
        if (!Files.isRegularFile(model)) {
            throw new IllegalStateException("test model " + model.toAbsolutePath() + " is missing: the shared"
                    + " models directory must sit beside the repository (../shared/models)");
        }
        return model;
    }

    /** Where tests extract the native libraries (kept between runs like in production). */
    public static Path nativeDir() {
        return Path.of("target", "whisper-native");
    }
}
