package dev.speechfleet.core.stream;

/**
 * A recognised word with its position inside the chunk.
 *
 * @param word       the word as displayed (punctuated where the provider gives it)
 * @param startMs    start, milliseconds from the beginning of the chunk
 * @param endMs      end, milliseconds from the beginning of the chunk
 * @param confidence 0..1, or a negative value when the provider gives none
 */
public record WordTiming(String word, long startMs, long endMs, double confidence) {
}
