package dev.speechfleet.core.provider;

import dev.speechfleet.core.stream.WordTiming;
import java.util.List;

/**
 * What a provider recognised in one chunk.
 *
 * @param text       the transcript (empty for silence)
 * @param confidence normalised to 0..1
 * @param words      word timings, empty when the provider gives none
 * @param language   the language of the transcript
 * @param model      the provider model that ran, or empty
 * @param flags      what the provider noticed about the result, for example
 *                   {@code hallucination:repetition} when it withheld invented text; empty normally
 */
public record Transcript(String text, double confidence, List<WordTiming> words, String language, String model,
        List<String> flags) {

    /** A transcript with nothing to flag. */
    public Transcript(String text, double confidence, List<WordTiming> words, String language, String model) {
        this(text, confidence, words, language, model, List.of());
    }

    public Transcript {
        flags = flags == null ? List.of() : List.copyOf(flags);
        text = text == null ? "" : text.strip();
        words = words == null ? List.of() : List.copyOf(words);
        language = language == null ? "" : language;
        model = model == null ? "" : model;
        if (Double.isNaN(confidence)) {
            confidence = 0;
        }
        confidence = Math.max(0, Math.min(1, confidence));
    }
}
