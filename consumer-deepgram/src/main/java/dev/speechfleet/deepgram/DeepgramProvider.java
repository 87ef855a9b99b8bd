package dev.speechfleet.deepgram;

import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.ProviderCallException;
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
import java.util.Map;

/**
 * Deepgram batch transcription as a fleet provider: the chunk goes to {@code /v1/listen} as WAV and
 * the first alternative of the first channel becomes the transcript. Created when its worker starts, so that a
 * missing API key stops the service at once with the variable to set.
 */
@ApplicationScoped
@Named(DeepgramProvider.NAME)
public class DeepgramProvider implements TranscriptionProvider {

    public static final String NAME = "deepgram";

    private final DeepgramConfig config;
    private final DeepgramClient client;
    private final String apiKey;

    DeepgramProvider(DeepgramConfig config, DeepgramClient client) {
        this.apiKey = RequiredSetting.require(config.apiKey(), DeepgramConfig.API_KEY_PROPERTY,
                DeepgramConfig.API_KEY_ENV);
        this.config = config;
        this.client = client;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Transcript transcribe(AudioChunk chunk) throws TranscriptionException {
        ListenResponse response = client.listen(WavEncoder.wav(chunk), chunk.language(), apiKey);
        return toTranscript(response, chunk.language());
    }

    @Override
    public double pricePerMinuteUsd() {
        return config.pricePerMinuteUsd();
    }

    @Override
    public CircuitState circuitState() {
        return client.circuitState();
    }

    @Override
    public int defaultConcurrency() {
        return config.concurrency();
    }

    /** Reads {@code results.channels[0].alternatives[0]}; times come in seconds and leave in milliseconds. */
    Transcript toTranscript(ListenResponse response, String requestedLanguage) throws TranscriptionException {
        if (response == null || response.results() == null || response.results().channels() == null
                || response.results().channels().isEmpty()) {
            throw ProviderCallException.badReply(NAME, "no results.channels").toTranscriptionException();
        }
        ListenResponse.Channel channel = response.results().channels().getFirst();
        if (channel.alternatives() == null || channel.alternatives().isEmpty()) {
            // Deepgram answers silence with an empty transcript, never with no alternative.
            throw ProviderCallException.badReply(NAME, "no alternatives in channel 0").toTranscriptionException();
        }
        ListenResponse.Alternative best = channel.alternatives().getFirst();
        List<WordTiming> words = best.words() == null ? List.of() : best.words().stream().map(this::timing).toList();
        String language = channel.detectedLanguage() != null ? channel.detectedLanguage() : requestedLanguage;
        return new Transcript(best.transcript(), best.confidence() == null ? 0 : best.confidence(), words, language,
                modelName(response.metadata()));
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
