package dev.speechfleet.whisper;

import java.util.Locale;
import java.util.regex.Pattern;

/** Maps a chunk's BCP-47 language to the code whisper.cpp takes, refusing what the model cannot do. */
final class WhisperLanguage {

    static final String AUTO = "auto";
    /** BCP-47 tags whisper.cpp spells otherwise: Javanese {@code jw}; Norwegian Bokmål is its {@code no}. */
    private static final java.util.Map<String, String> WHISPER_CODES = java.util.Map.of("jv", "jw", "nb", "no");
    private static final Pattern PRIMARY_SUBTAG = Pattern.compile("[a-z]{2,3}");

    private WhisperLanguage() {
    }

    /**
     * The whisper.cpp language for a chunk.
     *
     * @param requested    the chunk's language, may be blank
     * @param fallback     {@code whisper.default-language}
     * @param multilingual whether the model knows languages other than English
     * @throws IllegalArgumentException when the language is malformed or the model cannot transcribe it
     */
    static String forChunk(String requested, String fallback, boolean multilingual) {
        String tag = requested == null || requested.isBlank() ? fallback : requested;
        String code = tag.strip().toLowerCase(Locale.ROOT).split("[-_]", 2)[0];
        if (!code.equals(AUTO) && !PRIMARY_SUBTAG.matcher(code).matches()) {
            throw new IllegalArgumentException("'" + tag + "' is not a BCP-47 language tag");
        }
        if (!multilingual && !code.equals("en")) {
            // An English-only model forced onto another language produces English-sounding nonsense.
            throw new IllegalArgumentException("the configured whisper model transcribes English only, not '"
                    + tag + "'");
        }
        return WHISPER_CODES.getOrDefault(code, code);
    }

    /** The BCP-47 tag of a whisper.cpp code: {@code jw} is {@code jv}; every other code already is one. */
    static String bcp47(String whisperCode) {
        return "jw".equals(whisperCode) ? "jv" : whisperCode;
    }
}
