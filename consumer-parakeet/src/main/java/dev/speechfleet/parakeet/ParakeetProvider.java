package dev.speechfleet.parakeet;

import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.ProviderCallException;
import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.core.provider.RequiredSetting;
import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.provider.WavEncoder;
import dev.speechfleet.core.stream.AudioChunk;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;
import java.util.Set;

/**
 * NVIDIA Parakeet as a fleet provider, through the OpenAI-style multipart endpoint a NIM or a community
 * server exposes. That API returns text only: no word timings, and the confidence is the configured
 * {@link ParakeetConfig#assumedConfidence()} (0 for an empty transcript). It has no field for key terms
 * (word boosting exists only over Riva gRPC), so a session's key terms are not sent. Created when its
 * worker starts, so that a missing server address stops the service at once with the variable to set.
 */
@ApplicationScoped
@Named(ParakeetProvider.NAME)
public class ParakeetProvider implements TranscriptionProvider {

    public static final String NAME = "parakeet";

    private final ParakeetConfig config;
    private final ParakeetClient client;
    private final ProviderCapabilities capabilities;

    ParakeetProvider(ParakeetConfig config, ParakeetClient client) {
        RequiredSetting.require(config.baseUrl(), ParakeetConfig.BASE_URL_PROPERTY, ParakeetConfig.BASE_URL_ENV);
        this.config = config;
        this.client = client;
        this.capabilities = new ProviderCapabilities(Set.copyOf(config.languages()),
                Set.copyOf(config.sampleRates()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Transcript transcribe(AudioChunk chunk) throws TranscriptionException {
        // A NIM answers 400 without a language; a chunk without one (not written by the router) gets the first.
        String language = chunk.language() == null || chunk.language().isBlank() ? config.languages().getFirst()
                : capabilities.resolve(chunk.language()).orElseThrow(() -> TranscriptionException.permanent(
                        "parakeet serves " + config.languages() + ", not language '" + chunk.language() + "'"));
        if (!capabilities.servesSampleRate(chunk.sampleRate())) {
            throw TranscriptionException.permanent("parakeet takes " + config.sampleRates() + " Hz audio, not "
                    + chunk.sampleRate() + " Hz");
        }
        TranscriptionResponse response = client.transcribe(WavEncoder.wav(chunk), language);
        if (response == null || response.text() == null) {
            throw ProviderCallException.badReply(NAME, "no text field").toTranscriptionException();
        }
        double confidence = response.text().isBlank() ? 0 : config.assumedConfidence();
        return new Transcript(response.text(), confidence, List.of(), chunk.language(), config.model().orElse(""));
    }

    @Override
    public ProviderCapabilities capabilities() {
        return capabilities;
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
}
