package dev.speechfleet.core.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A session's key terms: short phrases the providers should expect (names, products, rooms), asked
 * for in {@code start.keyterms} and carried in field {@code keyterms} of every audio entry (ADR 0026).
 * The bounds fit every provider that takes them: AssemblyAI allows at most 6 words per phrase,
 * Deepgram at most 100 terms within 500 tokens, Whisper's prompt about 224 tokens.
 */
public final class Keyterms {

    /** Most phrases per session. */
    public static final int MAX_TERMS = 50;
    /** Longest phrase, in characters. */
    public static final int MAX_TERM_CHARS = 50;
    /** Most words in one phrase (AssemblyAI's limit). */
    public static final int MAX_WORDS_PER_TERM = 6;
    /** Most characters of all phrases together (keeps Deepgram well inside 500 tokens). */
    public static final int MAX_TOTAL_CHARS = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}]");
    private static final Pattern LETTER_OR_DIGIT = Pattern.compile("[\\p{L}\\p{N}]");

    private Keyterms() {
    }

    /**
     * The phrases checked and tidied: surrounding and repeated spaces removed, a phrase repeated
     * (ignoring case) kept once, order kept.
     *
     * @throws IllegalArgumentException naming the first bound a phrase or the list breaks
     */
    public static List<String> validate(List<String> phrases) {
        List<String> kept = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (String raw : phrases) {
            String phrase = tidy(raw);
            if (seen.add(phrase.toLowerCase(Locale.ROOT))) {
                kept.add(phrase);
                total += phrase.length();
            }
        }
        if (kept.size() > MAX_TERMS) {
            throw new IllegalArgumentException("keyterms holds " + kept.size() + " phrases; at most " + MAX_TERMS);
        }
        if (total > MAX_TOTAL_CHARS) {
            throw new IllegalArgumentException("keyterms holds " + total + " characters; at most " + MAX_TOTAL_CHARS);
        }
        return List.copyOf(kept);
    }

    private static String tidy(String raw) {
        if (raw == null) {
            throw new IllegalArgumentException("keyterms must be strings");
        }
        if (CONTROL.matcher(raw).find()) {
            throw new IllegalArgumentException("a keyterm must not contain control characters");
        }
        String phrase = SPACES.matcher(raw.strip()).replaceAll(" ");
        if (!LETTER_OR_DIGIT.matcher(phrase).find()) {
            throw new IllegalArgumentException("a keyterm must contain a letter or digit: '" + abbreviate(raw) + "'");
        }
        if (phrase.length() > MAX_TERM_CHARS) {
            throw new IllegalArgumentException("keyterm '" + abbreviate(phrase) + "' is longer than "
                    + MAX_TERM_CHARS + " characters");
        }
        if (phrase.split(" ").length > MAX_WORDS_PER_TERM) {
            throw new IllegalArgumentException("keyterm '" + phrase + "' has more than " + MAX_WORDS_PER_TERM
                    + " words");
        }
        return phrase;
    }

    /** The entry field's form: a JSON array of strings (phrases may hold commas). */
    public static String toJson(List<String> phrases) {
        ArrayNode array = JSON.createArrayNode();
        phrases.forEach(array::add);
        return array.toString();
    }

    /**
     * Reads the entry field; an absent or blank field is no key terms.
     *
     * @throws MalformedEntryException when the field is not a JSON array of strings
     */
    public static List<String> fromJson(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            JsonNode array = JSON.readTree(json);
            if (!array.isArray()) {
                throw new MalformedEntryException("keyterms is not a JSON array");
            }
            List<String> phrases = new ArrayList<>(array.size());
            for (JsonNode phrase : array) {
                if (!phrase.isTextual()) {
                    throw new MalformedEntryException("keyterms holds a non-string: " + phrase);
                }
                phrases.add(phrase.asText());
            }
            return List.copyOf(phrases);
        } catch (JsonProcessingException e) {
            throw new MalformedEntryException("keyterms is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
