package dev.speechfleet.core.provider;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the fleet knows about each provider before any live figure: catalog word error rate, list
 * price, and what each consumer serves in its <em>default</em> configuration. Figures come from
 * {@code provider-contracts.md} section 5 (vendor and leaderboard claims; recheck before publishing).
 *
 * <p>The capabilities here are only the last resort of routing: every consumer publishes what its
 * configured model really serves (ADR 0024), and the router uses that whenever a consumer of the
 * provider has ever run.
 */
public final class ProviderCatalog {

    /** What the audio entries carry; every consumer takes it. */
    private static final Set<Integer> DEVICE_RATES = Set.of(8000, 16000);

    /**
     * One provider.
     *
     * @param name                  stream name of the provider
     * @param defaults              what its consumer serves with the default configuration
     * @param catalogWer            word error rate claimed for English, 0..1
     * @param pricePerMinuteUsd     list price of English audio, USD per minute
     * @param otherLanguagePriceUsd price of other languages (multilingual models cost more at some vendors)
     * @param source                where the figures come from
     */
    public record Entry(String name, ProviderCapabilities defaults, double catalogWer, double pricePerMinuteUsd,
            double otherLanguagePriceUsd, String source) {

        /** Whether the default configuration serves {@code language} at some sample rate. */
        public boolean supports(String language) {
            return defaults.resolve(language).isPresent();
        }

        /** Price per minute for audio in {@code language}. */
        public double priceFor(String language) {
            return "en".equals(primarySubtag(language)) ? pricePerMinuteUsd : otherLanguagePriceUsd;
        }
    }

    private static final List<Entry> ENTRIES = List.of(
            // Local whisper.cpp, default model base.en (English only), 8 kHz resampled to 16 kHz; compute only;
            // WER of large-v3 on the HF Open ASR leaderboard (not re-verified).
            new Entry("whisper", new ProviderCapabilities(ModelLanguages.ENGLISH, DEVICE_RATES), 0.074, 0.0, 0.0,
                    "HF Open ASR leaderboard, large-v3 avg WER ~7.4 %"),
            // Nova-3 pre-recorded, mono, WAV at any rate; multilingual mode is priced separately.
            new Entry("deepgram", new ProviderCapabilities(ModelLanguages.DEEPGRAM_NOVA_3,
                    ProviderCapabilities.ANY_SAMPLE_RATE), 0.0526, 0.0043, 0.0052,
                    "Deepgram Nova-3: vendor median batch WER 5.26 %, $0.0043/min EN, $0.0052/min multilingual"),
            // Universal-2: 99 languages, WAV at any rate; the vendor states a <=10 % WER tier, not a median.
            new Entry("assemblyai", new ProviderCapabilities(ModelLanguages.ASSEMBLYAI_UNIVERSAL_2,
                    ProviderCapabilities.ANY_SAMPLE_RATE), 0.10, 0.0025, 0.0025,
                    "AssemblyAI Universal-2: $0.15/h, vendor WER tier <=10 % for major languages"),
            // Parakeet TDT 0.6B v2 is English only, 16 kHz; self-hosted GPU, marginal cost when batched well below
            // $0.001/min.
            new Entry("parakeet", new ProviderCapabilities(ModelLanguages.ENGLISH, Set.of(16000)), 0.0605, 0.001,
                    0.001, "Parakeet TDT 0.6B v2: HF Open ASR avg WER 6.05 %; GPU cost estimate"));

    private static final Map<String, Entry> BY_NAME = index();

    private ProviderCatalog() {
    }

    /** Every provider the catalog knows, in the fleet's default order. */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    public static Optional<Entry> find(String provider) {
        return Optional.ofNullable(BY_NAME.get(provider));
    }

    /**
     * What a provider serves when nothing better is known: its default configuration, or no
     * restriction for a provider the catalog does not know (one the operator added).
     */
    public static ProviderCapabilities defaultCapabilities(String provider) {
        return find(provider).map(Entry::defaults).orElse(ProviderCapabilities.UNRESTRICTED);
    }

    /** {@code en} of {@code en-US}, lower case. */
    public static String primarySubtag(String language) {
        if (language == null) {
            return "";
        }
        int dash = language.indexOf('-');
        return (dash < 0 ? language : language.substring(0, dash)).toLowerCase(java.util.Locale.ROOT);
    }

    private static Map<String, Entry> index() {
        Map<String, Entry> byName = new java.util.LinkedHashMap<>();
        ENTRIES.forEach(e -> byName.put(e.name(), e));
        return Map.copyOf(byName);
    }
}
