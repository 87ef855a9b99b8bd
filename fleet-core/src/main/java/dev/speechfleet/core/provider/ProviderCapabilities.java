package dev.speechfleet.core.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one provider deployment can transcribe, as its configured model decides (ADR 0024): the
 * BCP-47 languages it accepts and the sample rates it takes. Consumers publish it; the router routes
 * only where it is served.
 *
 * <p>A listed language serves itself and, when it is a bare language ({@code en}), every regional
 * form of it ({@code en-GB}); a regional entry ({@code en-GB}) serves only itself. Comparison ignores
 * case and treats {@code _} like {@code -}.
 *
 * @param languages   BCP-47 tags as the provider spells them, or {@link #ANY_LANGUAGE}; empty serves nothing
 * @param sampleRates sample rates in Hz, or {@link #ANY_SAMPLE_RATE}; empty serves nothing
 */
public record ProviderCapabilities(Set<String> languages, Set<Integer> sampleRates) {

    /** Wire form of "any" in both lists. */
    public static final String ANY = "*";
    /** Every language (a provider that detects or is told any language, such as a test double). */
    public static final Set<String> ANY_LANGUAGE = Set.of(ANY);
    /** Every sample rate: the provider reads the rate from the WAV header and resamples itself. */
    public static final Set<Integer> ANY_SAMPLE_RATE = Set.of(0);
    /** No restriction at all. */
    public static final ProviderCapabilities UNRESTRICTED = new ProviderCapabilities(ANY_LANGUAGE, ANY_SAMPLE_RATE);

    public ProviderCapabilities {
        languages = Set.copyOf(languages);
        sampleRates = Set.copyOf(sampleRates);
    }

    /** Whether an utterance in {@code language} at {@code sampleRate} Hz can be sent to this provider. */
    public boolean serves(String language, int sampleRate) {
        return resolve(language).isPresent() && servesSampleRate(sampleRate);
    }

    public boolean servesSampleRate(int sampleRate) {
        return sampleRates.equals(ANY_SAMPLE_RATE) || sampleRates.contains(sampleRate);
    }

    /**
     * The listed tag that serves {@code language}: the tag itself when listed, else its bare language
     * when that is listed ({@code en-CA} → {@code en}); with {@link #ANY_LANGUAGE} the tag as asked.
     */
    public Optional<String> resolve(String language) {
        if (language == null || language.isBlank()) {
            return Optional.empty();
        }
        if (languages.equals(ANY_LANGUAGE)) {
            return Optional.of(language);
        }
        String wanted = normalise(language);
        Optional<String> exact = languages.stream().filter(l -> normalise(l).equals(wanted)).findFirst();
        if (exact.isPresent()) {
            return exact;
        }
        String primary = primary(wanted);
        return languages.stream().filter(l -> normalise(l).equals(primary)).findFirst();
    }

    /** What two deployments of one provider both serve (a chunk on its stream may reach either). */
    public ProviderCapabilities intersect(ProviderCapabilities other) {
        return new ProviderCapabilities(commonLanguages(other), commonRates(other));
    }

    private Set<String> commonLanguages(ProviderCapabilities other) {
        if (languages.equals(ANY_LANGUAGE)) {
            return other.languages;
        }
        if (other.languages.equals(ANY_LANGUAGE)) {
            return languages;
        }
        Set<String> common = new LinkedHashSet<>();
        languages.stream().filter(l -> other.resolve(l).isPresent()).forEach(common::add);
        other.languages.stream().filter(l -> resolve(l).isPresent()).forEach(common::add);
        return common;
    }

    private Set<Integer> commonRates(ProviderCapabilities other) {
        if (sampleRates.equals(ANY_SAMPLE_RATE)) {
            return other.sampleRates;
        }
        if (other.sampleRates.equals(ANY_SAMPLE_RATE)) {
            return sampleRates;
        }
        Set<Integer> common = new TreeSet<>(sampleRates);
        common.retainAll(other.sampleRates);
        return common;
    }

    /** Writes {@code "languages"} and {@code "sample_rates"} into {@code target} ({@code "*"} for any). */
    public ObjectNode writeTo(ObjectNode target) {
        ArrayNode langs = target.putArray("languages");
        new TreeSet<>(languages).forEach(langs::add);
        ArrayNode rates = target.putArray("sample_rates");
        if (sampleRates.equals(ANY_SAMPLE_RATE)) {
            rates.add(ANY);
        } else {
            new TreeSet<>(sampleRates).forEach(rates::add);
        }
        return target;
    }

    public String toJson() {
        return writeTo(JsonNodeFactory.instance.objectNode()).toString();
    }

    /**
     * What a WAV-fed cloud model serves: the {@code configured} languages, else its {@code documented}
     * ones, at any sample rate (the WAV header carries the rate).
     *
     * @throws IllegalStateException naming {@code setting} when neither is known
     */
    public static ProviderCapabilities ofWavModel(Optional<List<String>> configured, Optional<Set<String>> documented,
            String model, String setting) {
        Set<String> languages = configured.<Set<String>>map(Set::copyOf).or(() -> documented)
                .orElseThrow(() -> new IllegalStateException(model + " has no documented language list here; set "
                        + setting + " to the BCP-47 languages it serves"));
        return new ProviderCapabilities(languages, ANY_SAMPLE_RATE);
    }

    /**
     * Reads what {@link #writeTo} wrote; empty when {@code node} has no such lists (a report of a
     * consumer that predates them).
     *
     * @throws IllegalArgumentException when the lists are there but malformed
     */
    public static Optional<ProviderCapabilities> readFrom(JsonNode node) {
        JsonNode langs = node.path("languages");
        JsonNode rates = node.path("sample_rates");
        if (!langs.isArray() || !rates.isArray()) {
            return Optional.empty();
        }
        Set<String> languages = new LinkedHashSet<>();
        langs.forEach(l -> languages.add(l.asText()));
        Set<Integer> sampleRates = new LinkedHashSet<>();
        for (JsonNode rate : rates) {
            if (ANY.equals(rate.asText())) {
                sampleRates.add(0);
            } else if (rate.canConvertToInt()) {
                sampleRates.add(rate.asInt());
            } else {
                throw new IllegalArgumentException("not a sample rate: " + rate);
            }
        }
        return Optional.of(new ProviderCapabilities(languages, sampleRates));
    }

    /** Lower case, {@code _} as {@code -}. */
    public static String normalise(String tag) {
        return tag.strip().replace('_', '-').toLowerCase(Locale.ROOT);
    }

    private static String primary(String normalised) {
        int dash = normalised.indexOf('-');
        return dash < 0 ? normalised : normalised.substring(0, dash);
    }
}
