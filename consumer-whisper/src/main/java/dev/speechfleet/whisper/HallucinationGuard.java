package dev.speechfleet.whisper;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.Deflater;

/**
 * Withholds text Whisper invents rather than hears (ADR 0013). Whisper, given noise or near silence,
 * writes fluent text nobody said: a phrase looping until the token limit, the sign-offs of the videos
 * it was trained on ("Thanks for watching!"), or the prompt it was given. The router already drops
 * silence, so what reaches Whisper is meant to be speech; a result that still looks like one of these
 * is replaced by an empty transcript carrying a flag. whisper-jni 1.7.1 exposes no token
 * probabilities, so a low average token probability cannot be a criterion here.
 */
public final class HallucinationGuard {

    /** Flag: a phrase repeated in a loop, or text that compresses like a loop. */
    public static final String REPETITION = "hallucination:repetition";
    /** Flag: nothing but phrases Whisper is known to write on silence. */
    public static final String SILENCE_PHRASE = "hallucination:silence_phrase";
    /** Flag: the key terms of the prompt, echoed back. */
    public static final String PROMPT_ECHO = "hallucination:prompt_echo";

    /**
     * Sign-offs and captions of Whisper's training videos that it writes on silence and noise, and the
     * lone "you" it writes on a breath or a click. "Thank you" is not among them: people say it to
     * devices.
     */
    public static final List<String> DEFAULT_PHRASES = List.of("thanks for watching", "thank you for watching",
            "thank you so much for watching", "thanks for watching and see you next time",
            "thank you for watching and see you next time", "see you in the next video", "please subscribe",
            "please subscribe to my channel", "subscribe to my channel", "like and subscribe",
            "please like and subscribe", "don't forget to like and subscribe", "subtitles by the amara org community",
            "subtitles by the amara.org community", "transcription by castingwords", "you");

    /** A run of one phrase this many times over is a loop, whatever its length ... */
    private static final int LOOP_REPEATS = 8;
    /** ... and so is a run of at least this many repeats covering at least {@link #LOOP_WORDS} words. */
    private static final int SHORT_LOOP_REPEATS = 4;
    private static final int LOOP_WORDS = 8;
    /** Longest phrase, in words, looked for as the repeated unit. */
    private static final int MAX_UNIT_WORDS = 10;
    /** Text at least this long that deflates by more than {@link #MAX_COMPRESSION} is a loop (as OpenAI's decoder judges). */
    private static final int MIN_COMPRESSIBLE_CHARS = 100;
    private static final double MAX_COMPRESSION = 2.4;

    private static final Pattern NOT_A_WORD_CHAR = Pattern.compile("[^\\p{L}\\p{N}' ]+");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?…]+");

    private final Set<String> silencePhrases;

    /** A guard that knows {@code silencePhrases} (compared ignoring case and punctuation). */
    public HallucinationGuard(List<String> silencePhrases) {
        this.silencePhrases = silencePhrases.stream().map(HallucinationGuard::normalise).filter(p -> !p.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Why {@code text} should be withheld, as a flag; empty when it may stand.
     *
     * @param keyterms the key terms Whisper was prompted with, empty when none
     */
    public Optional<String> check(String text, List<String> keyterms) {
        String normal = normalise(text);
        if (normal.isEmpty()) {
            return Optional.empty();
        }
        if (echoes(normal, keyterms)) {
            return Optional.of(PROMPT_ECHO);
        }
        if (onlySilencePhrases(text)) {
            return Optional.of(SILENCE_PHRASE);
        }
        if (loops(normal.split(" ")) || compressesLikeALoop(text)) {
            return Optional.of(REPETITION);
        }
        return Optional.empty();
    }

    /** The whole prompt said back; one key term alone is a plausible answer, two or more in a row are not. */
    private static boolean echoes(String normal, List<String> keyterms) {
        return keyterms.size() >= 2 && normal.equals(normalise(String.join(" ", keyterms)));
    }

    private boolean onlySilencePhrases(String text) {
        List<String> sentences = Arrays.stream(SENTENCE_END.split(text)).map(HallucinationGuard::normalise)
                .filter(s -> !s.isEmpty()).toList();
        return !sentences.isEmpty() && silencePhrases.containsAll(sentences)
                || silencePhrases.contains(normalise(text));
    }

    /** Some phrase of 1 to {@link #MAX_UNIT_WORDS} words repeated back to back often enough. */
    static boolean loops(String[] words) {
        for (int unit = 1; unit <= MAX_UNIT_WORDS && unit * 2 <= words.length; unit++) {
            for (int start = 0; start + unit * 2 <= words.length; start++) {
                int repeats = repeatsAt(words, start, unit);
                if (repeats >= LOOP_REPEATS || repeats >= SHORT_LOOP_REPEATS && repeats * unit >= LOOP_WORDS) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int repeatsAt(String[] words, int start, int unit) {
        int repeats = 1;
        while (start + (repeats + 1) * unit <= words.length && sameRun(words, start, start + repeats * unit, unit)) {
            repeats++;
        }
        return repeats;
    }

    private static boolean sameRun(String[] words, int a, int b, int unit) {
        for (int i = 0; i < unit; i++) {
            if (!words[a + i].equals(words[b + i])) {
                return false;
            }
        }
        return true;
    }

    static boolean compressesLikeALoop(String text) {
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        if (raw.length < MIN_COMPRESSIBLE_CHARS) {
            return false;
        }
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[512];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return (double) raw.length / Math.max(1, out.size()) > MAX_COMPRESSION;
        } finally {
            deflater.end();
        }
    }

    /** Lower case, punctuation gone (apostrophes kept), single spaces. */
    static String normalise(String text) {
        String lower = text == null ? "" : text.toLowerCase(Locale.ROOT);
        return SPACES.matcher(NOT_A_WORD_CHAR.matcher(lower).replaceAll(" ")).replaceAll(" ").strip();
    }
}
