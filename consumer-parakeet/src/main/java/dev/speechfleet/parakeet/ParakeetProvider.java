package dev.speechfleet.parakeet;

import dev.speechfleet.core.config.FleetConfig;
import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.ProviderCallException;
import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.core.provider.ProviderGuard;
import dev.speechfleet.core.provider.RequiredSetting;
import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.provider.WavEncoder;
import dev.speechfleet.core.stream.AudioChunk;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

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
    private final ParakeetApi api;
    private final ProviderGuard guard;
    /** {@code Bearer <key>}, or {@code null}: a self-hosted NIM needs no key. */
    private final String authorization;
    private final ProviderCapabilities capabilities;

    ParakeetProvider(ParakeetConfig config, @RestClient ParakeetApi api, FleetConfig fleet) {
        RequiredSetting.require(config.baseUrl(), ParakeetConfig.BASE_URL_PROPERTY, ParakeetConfig.BASE_URL_ENV);
        this.config = config;
        this.api = api;
        this.authorization = config.apiKey().filter(key -> !key.isBlank()).map(key -> "Bearer " + key.strip())
                .orElse(null);
        this.capabilities = new ProviderCapabilities(Set.copyOf(config.languages()),
                Set.copyOf(config.sampleRates()));
        this.guard = ProviderGuard.create(NAME, fleet.providers().callTimeout());
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
        byte[] wav = WavEncoder.wav(chunk);
        TranscriptionResponse response = guard.call(() -> api.transcribe(authorization, form(wav, language)));
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

    /**
     * {@code file} (WAV), {@code language} (a NIM answers 400 without language or model),
     * {@code response_format=json} and {@code model} when configured; a fresh form per call, since a
     * multipart body is consumed when sent.
     */
    private ClientMultipartForm form(byte[] wav, String language) {
        ClientMultipartForm form = ClientMultipartForm.create()
                .binaryFileUpload("file", "chunk.wav", Buffer.buffer(wav), "audio/wav")
                .attribute("language", language, null)
                .attribute("response_format", "json", null);
        config.model().filter(model -> !model.isBlank()).ifPresent(model -> form.attribute("model", model, null));
        return form;
    }
}
