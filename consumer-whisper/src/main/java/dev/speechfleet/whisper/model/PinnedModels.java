package dev.speechfleet.whisper.model;

import java.util.Map;
import java.util.Optional;

/**
 * sha256 checksums of the whisper.cpp ggml models as published in {@code ggerganov/whisper.cpp} on
 * Hugging Face. Only checksums that two independent public records agree on are pinned; where each
 * came from is in docs/adr/0012-whisper-model-management.md. Other names need {@code whisper.model.sha256}.
 */
public final class PinnedModels {

    private static final Map<String, String> SHA256 = Map.of(
            "tiny", "be07e048e1e599ad46341c8d2a135645097a538221678b7acdd1b1919c6e1b21",
            "tiny.en", "921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f",
            "base", "60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe",
            "base.en", "a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002",
            "small", "1be3a9b2063867b937e64e2ec7483364a79917e157fa98c5d94b5c1fffea987b",
            "small.en", "c6138d6d58ecc8322097e0f987c32f1be8bb0a18532a3f88f734d1bbf9c41e5d");

    private PinnedModels() {
    }

    public static Optional<String> sha256(String name) {
        return Optional.ofNullable(SHA256.get(name));
    }

    /** The file name whisper.cpp publishes a model under. */
    public static String fileName(String name) {
        return "ggml-" + name + ".bin";
    }
}
