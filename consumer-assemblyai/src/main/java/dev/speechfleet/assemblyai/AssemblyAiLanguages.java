package dev.speechfleet.assemblyai;

import dev.speechfleet.core.provider.ProviderCapabilities;
import java.util.Locale;
import java.util.Map;

/**
 * BCP-47 and AssemblyAI's {@code language_code} (ADR 0025). AssemblyAI has three regional codes, all
 * English ({@code en_au}, {@code en_uk}, {@code en_us}); every other code is a bare ISO 639 language,
 * Javanese spelled {@code jw}. A region AssemblyAI does not have goes as its language
 * ({@code pt-BR} → {@code pt}), never as an invented code such as {@code pt_br}.
 */
final class AssemblyAiLanguages {

    private static final Map<String, String> TO_CODE = Map.of(
            "en-gb", "en_uk", "en-au", "en_au", "en-us", "en_us", "jv", "jw", "nb", "no", "fil", "tl");
    private static final Map<String, String> TO_BCP47 = Map.of(
            "en_uk", "en-GB", "en_au", "en-AU", "en_us", "en-US", "jw", "jv");

    private AssemblyAiLanguages() {
    }

    /** AssemblyAI's code for a tag its capability list holds ({@code en-GB} → {@code en_uk}, {@code pt} → {@code pt}). */
    static String code(String listedTag) {
        String tag = ProviderCapabilities.normalise(listedTag);
        String mapped = TO_CODE.get(tag);
        if (mapped != null) {
            return mapped;
        }
        int dash = tag.indexOf('-');
        return dash < 0 ? tag : tag.substring(0, dash);
    }

    /** The BCP-47 tag of an AssemblyAI code ({@code en_uk} → {@code en-GB}). */
    static String bcp47(String code) {
        String lower = code.strip().toLowerCase(Locale.ROOT);
        return TO_BCP47.getOrDefault(lower, lower);
    }

    /**
     * What a hypothesis reports: the asked-for tag when AssemblyAI answered in the code it was sent (the
     * tag may be more precise: {@code pt-BR} sent as {@code pt}), else the language AssemblyAI names.
     */
    static String reported(String requested, String sentCode, String answeredCode) {
        if (answeredCode == null || answeredCode.isBlank() || answeredCode.strip().equalsIgnoreCase(sentCode)) {
            return requested;
        }
        return bcp47(answeredCode);
    }
}
