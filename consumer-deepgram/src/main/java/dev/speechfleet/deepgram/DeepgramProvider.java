package dev.speechfleet.deepgram;

import dev.speechfleet.core.config.FleetConfig;
import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.ModelLanguages;
import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.core.provider.ProviderCallException;
import dev.speechfleet.core.provider.ProviderGuard;
import dev.speechfleet.core.provider.RequiredSetting;
import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.provider.WavEncoder;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.WordTiming;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Deepgram batch transcription as a fleet provider: the chunk goes to {@code /v1/listen} as WAV,
 * through the provider's {@link ProviderGuard}, and the first alternative of the first channel becomes
 * the transcript. Created when its worker starts, so that a
 * missing API key stops the service at once with the variable to set.
 */
@ApplicationScoped
@Named(DeepgramProvider.NAME)
public class DeepgramProvider implements TranscriptionProvider {

    public static final String NAME = "deepgram";

    private final DeepgramConfig config;
    private final DeepgramApi api;
    private final ProviderGuard guard;
    private final String authorization;
    private final ProviderCapabilities capabilities;

    DeepgramProvider(DeepgramConfig config, @RestClient DeepgramApi api, FleetConfig fleet) {
        this.authorization = "Token " + RequiredSetting.require(config.apiKey(), DeepgramConfig.API_KEY_PROPERTY,
                DeepgramConfig.API_KEY_ENV);
        this.config = config;
        this.api = api;
        // The configured languages, else the model's documented ones.
        this.capabilities = ProviderCapabilities.ofWavModel(config.languages(), ModelLanguages.deepgram(config.model()),
                "deepgram model '" + config.model() + "'", "deepgram.languages (DEEPGRAM_LANGUAGES)");
        this.guard = ProviderGuard.create(NAME, fleet.providers().callTimeout());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Transcript transcribe(AudioChunk chunk) throws TranscriptionException {
        String language = languageOf(chunk);
        byte[] wav = WavEncoder.wav(chunk);
        List<String> keyterms = keytermsFor(chunk);
        Boolean optOut = config.mipOptOut() ? Boolean.TRUE : null;
        ListenResponse response = guard.call(() -> api.listen(authorization, config.model(), language,
                config.smartFormat(), config.punctuate(), keyterms, optOut, wav));
        return toTranscript(response, chunk.language());
    }

    @Override
    public ProviderCapabilities capabilities() {
        return capabilities;
    }

    /** The tag the model lists for the chunk's language; {@code null} (Deepgram's default) for none. */
    private String languageOf(AudioChunk chunk) throws TranscriptionException {
        if (chunk.language() == null || chunk.language().isBlank()) {
            return null;
        }
        return capabilities.resolve(chunk.language()).orElseThrow(() -> TranscriptionException.permanent(
                "deepgram model " + config.model() + " does not serve language '" + chunk.language() + "'"));
    }

    /**
     * Sent as repeated {@code keyterm} parameters, none ({@code null}) when the chunk has none: key term
     * prompting exists for Nova-3 models only; other models would refuse the parameter.
     */
    private List<String> keytermsFor(AudioChunk chunk) {
        boolean nova3 = config.model().strip().toLowerCase(Locale.ROOT).startsWith("nova-3");
        return nova3 && !chunk.keyterms().isEmpty() ? chunk.keyterms() : null;
    }

    @Override
    public double pricePerMinuteUsd() {
        return config.pricePerMinuteUsd();
    }

    @Override
    public CircuitState circuitState() {
        return guard.circuitState();
    }

    @Override
    public int defaultConcurrency() {
        return config.concurrency();
    }

    @Override
    public boolean callsWaitOnNetwork() {
        return true;
    }

    /** Reads {@code results.channels[0].alternatives[0]}; times come in seconds and leave in milliseconds. */
    Transcript toTranscript(ListenResponse response, String requestedLanguage) throws TranscriptionException {
        if (response == null || response.results() == null || response.results().channels() == null
                || response.results().channels().isEmpty()) {
            throw ProviderCallException.badReply(NAME, "no results.channels" + requestIdOf(response))
                    .toTranscriptionException();
        }
        ListenResponse.Channel channel = response.results().channels().getFirst();
        if (channel.alternatives() == null || channel.alternatives().isEmpty()) {
            // Deepgram answers silence with an empty transcript, never with no alternative.
            throw ProviderCallException.badReply(NAME, "no alternatives in channel 0" + requestIdOf(response))
                    .toTranscriptionException();
        }
        ListenResponse.Alternative best = channel.alternatives().getFirst();
        List<WordTiming> words = best.words() == null ? List.of() : best.words().stream().map(this::timing).toList();
        String language = channel.detectedLanguage() != null ? channel.detectedLanguage() : requestedLanguage;
        return new Transcript(best.transcript(), best.confidence() == null ? 0 : best.confidence(), words, language,
                modelName(response.metadata()));
    }

    private static String requestIdOf(ListenResponse response) {
        return response == null || response.metadata() == null || response.metadata().requestId() == null ? ""
                : " (request_id " + response.metadata().requestId() + ")";
    }

    private WordTiming timing(ListenResponse.Word word) {
        String text = word.punctuatedWord() != null ? word.punctuatedWord() : word.word();
        return new WordTiming(text, Math.round(word.start() * 1000), Math.round(word.end() * 1000),
                word.confidence() == null ? -1 : word.confidence());
    }

    /** The model that ran ({@code model_info}, which the live API may leave out), else the one asked for. */
    private String modelName(ListenResponse.Metadata metadata) {
        if (metadata != null && metadata.modelInfo() != null) {
            for (Map.Entry<String, ListenResponse.ModelInfo> model : metadata.modelInfo().entrySet()) {
                if (model.getValue() != null && model.getValue().name() != null) {
                    return model.getValue().name();
                }
            }
        }
        return config.model();
    }
}
