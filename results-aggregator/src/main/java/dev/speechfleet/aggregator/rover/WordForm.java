package dev.speechfleet.aggregator.rover;

import java.util.Locale;

/**
 * The form of a word that alignment and voting compare: lower case, without punctuation, so that
 * "Hello," and "hello" vote together while the displayed form is kept for the output.
 */
public final class WordForm {

    private WordForm() {
    }

    /** The comparable form; empty when the word is only punctuation. */
    public static String normalize(String displayed) {
        String lower = displayed.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        StringBuilder kept = new StringBuilder(lower.length());
        lower.codePoints()
                .filter(c -> Character.isLetterOrDigit(c) || c == '\'')
                .forEach(kept::appendCodePoint);
        return stripApostrophes(kept.toString());
    }

    /** Quotes around a word ('hello') are punctuation; the apostrophe inside don't is not. */
    private static String stripApostrophes(String word) {
        int start = 0;
        int end = word.length();
        while (start < end && word.charAt(start) == '\'') {
            start++;
        }
        while (end > start && word.charAt(end - 1) == '\'') {
            end--;
        }
        return word.substring(start, end);
    }
}
