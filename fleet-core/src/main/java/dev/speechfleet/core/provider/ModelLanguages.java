package dev.speechfleet.core.provider;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The documented languages of each provider model, as BCP-47 tags, in one place: consumers derive
 * what they publish from it and the catalog's defaults come from it (ADR 0024, ADR 0025). Where a
 * provider spells a language its own way (whisper.cpp {@code jw}, AssemblyAI {@code en_uk}), the
 * consumer maps at its edge; these lists are always BCP-47.
 */
public final class ModelLanguages {

    /** An English-only model ({@code tiny.en}, parakeet-tdt-0.6b-v2). */
    public static final Set<String> ENGLISH = Set.of("en");

    /**
     * The 99 languages of whisper.cpp's multilingual models ({@code g_lang} of whisper.cpp 1.7), in
     * BCP-47: Javanese is {@code jv} (whisper.cpp says {@code jw}); {@code nb} is accepted for
     * Norwegian ({@code no}). Cantonese ({@code yue}) is left out: only large-v3 has its token.
     */
    public static final Set<String> WHISPER_MULTILINGUAL = tags("en zh de es ru ko fr ja pt tr pl ca nl ar sv it id"
            + " hi fi vi he uk el ms cs ro da hu ta no nb th ur hr bg lt la mi ml cy sk te fa lv bn sr az sl kn et mk br"
            + " eu is hy ne mn bs kk sq sw gl mr pa si km sn yo so af oc ka be tg sd gu am yi lo uz fo ht ps tk nn mt sa"
            + " lb my bo tl mg as tt haw ln ha ba jv su");

    /**
     * Deepgram Nova-3 monolingual languages, from Deepgram's changelog entries that added them (English
     * at launch; de, nl, sv, da 2025-08; es, fr, pt 2025-09; it, tr, no, id 2025-09; bg … vi 2025-11; ca
     * … sk 2025-11; be … te 2026-01; zh-HK, th 2026-03; zh 2026-03). Newer additions: set
     * {@code deepgram.languages}.
     */
    public static final Set<String> DEEPGRAM_NOVA_3 = tags("en en-US en-AU en-GB en-IN en-NZ"
            + " de de-CH nl nl-BE sv sv-SE da da-DK es es-419 fr fr-CA pt pt-BR pt-PT it tr no id"
            + " bg cs fi hi hu ja ko ko-KR pl ru uk vi ca et el lv lt ms ro sk"
            + " be bn bs hr kn mk mr sr sl ta tl te th th-TH zh zh-CN zh-Hans zh-TW zh-Hant zh-HK");

    /** Deepgram Nova-3 Medical: English (its multilingual mode needs {@code language=multi}, which a session cannot ask for). */
    public static final Set<String> DEEPGRAM_NOVA_3_MEDICAL = tags("en en-US en-AU en-GB en-IN en-NZ");

    /**
     * AssemblyAI Universal-2: every {@code language_code} of AssemblyAI's API spec
     * ({@code TranscriptLanguageCode}), in BCP-47 ({@code en_uk} is {@code en-GB}, {@code jw} is
     * {@code jv}); {@code nb} and {@code fil} are accepted for {@code no} and {@code tl}.
     */
    public static final Set<String> ASSEMBLYAI_UNIVERSAL_2 = tags("en en-AU en-GB en-US es fr de it pt nl af sq am ar"
            + " hy as az ba eu be bn bs br bg my ca zh hr cs da et fo fi gl ka el gu ht ha haw he hi hu is id ja jv kn"
            + " kk km ko lo la lv ln lt lb mk mg ms ml mt mi mr mn ne no nb nn oc pa ps fa pl ro ru sa sr sn sd si sk"
            + " sl so su sw sv tl fil tg ta tt te th bo tr tk uk ur uz vi cy yi yo");

    /** AssemblyAI Universal-3 Pro: English, Spanish, Portuguese, French, German, Italian. */
    public static final Set<String> ASSEMBLYAI_UNIVERSAL_3_PRO = tags("en es pt fr de it");

    /** AssemblyAI Universal-3.5 Pro: the 18 languages of AssemblyAI's model table. */
    public static final Set<String> ASSEMBLYAI_UNIVERSAL_3_5_PRO = tags(
            "en es de fr pt it tr nl sv no nb da fi hi vi ar he ja zh");

    /**
     * NVIDIA parakeet-tdt-0.6b-v3: the 25 European languages of its model card (for
     * {@code parakeet.languages} of a v3 deployment).
     */
    public static final Set<String> PARAKEET_V3 = tags(
            "bg hr cs da nl en et fi fr de el hu it lv lt mt pl pt ro sk sl es sv ru uk");

    private static final Map<String, Set<String>> DEEPGRAM = Map.of(
            "nova-3", DEEPGRAM_NOVA_3,
            "nova-3-general", DEEPGRAM_NOVA_3,
            "nova-3-medical", DEEPGRAM_NOVA_3_MEDICAL);

    private static final Map<String, Set<String>> ASSEMBLYAI = Map.of(
            "universal-2", ASSEMBLYAI_UNIVERSAL_2,
            "universal-3-pro", ASSEMBLYAI_UNIVERSAL_3_PRO,
            "universal-3-5-pro", ASSEMBLYAI_UNIVERSAL_3_5_PRO);

    private ModelLanguages() {
    }

    /** The documented languages of a Deepgram model; empty for a model this table does not know. */
    public static Optional<Set<String>> deepgram(String model) {
        return Optional.ofNullable(DEEPGRAM.get(model.strip().toLowerCase(Locale.ROOT)));
    }

    /**
     * What a list of AssemblyAI {@code speech_models} serves: AssemblyAI falls back along the list, so
     * the union. Empty when one of the models is unknown to this table.
     */
    public static Optional<Set<String>> assemblyAi(List<String> speechModels) {
        Set<String> union = new LinkedHashSet<>();
        for (String model : speechModels) {
            Set<String> languages = ASSEMBLYAI.get(model.strip().toLowerCase(Locale.ROOT));
            if (languages == null) {
                return Optional.empty();
            }
            union.addAll(languages);
        }
        return union.isEmpty() ? Optional.empty() : Optional.of(Set.copyOf(union));
    }

    private static Set<String> tags(String spaceSeparated) {
        return Set.of(spaceSeparated.strip().split("\\s+"));
    }
}
