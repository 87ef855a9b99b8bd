package dev.speechfleet.assemblyai;

import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.RequiredSetting;
import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.provider.WavEncoder;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.FailureKind;
import dev.speechfleet.core.stream.WordTiming;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * AssemblyAI pre-recorded transcription as a fleet provider: upload the chunk, create one transcript
 * with explicit speech models, poll it until done. What exists at AssemblyAI for a chunk is recorded
 * in the {@link TranscriptLedger} before and after each step, so a retry or redelivery resumes where
 * the last attempt stopped and never creates a second transcript. Created when its worker starts, so that a
 * missing API key stops the service at once with the variable to set.
 */
@ApplicationScoped
@Named(AssemblyAiProvider.NAME)
public class AssemblyAiProvider implements TranscriptionProvider {

    public static final String NAME = "assemblyai";

    private final AssemblyAiConfig config;
    private final AssemblyAiClient client;
    private final TranscriptLedger ledger;
    private final TranscriptPoller poller;
    private final String apiKey;

    AssemblyAiProvider(AssemblyAiConfig config, AssemblyAiClient client, TranscriptLedger ledger,
            TranscriptPoller poller) {
        this.apiKey = RequiredSetting.require(config.apiKey(), AssemblyAiConfig.API_KEY_PROPERTY,
                AssemblyAiConfig.API_KEY_ENV);
        this.config = config;
        this.client = client;
        this.ledger = ledger;
        this.poller = poller;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Transcript transcribe(AudioChunk chunk) throws TranscriptionException {
        byte[] wav = WavEncoder.wav(chunk);
        String transcriptId = transcriptFor(chunk, wav);
        return toTranscript(poller.awaitCompletion(apiKey, chunk.chunkId(), transcriptId), chunk.language());
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

    /** The chunk's transcript: the one recorded, one an unanswered submit created, or a new one. */
    private String transcriptFor(AudioChunk chunk, byte[] wav) throws TranscriptionException {
        String chunkId = chunk.chunkId();
        TranscriptLedger.Entry known = ledger.find(chunkId);
        if (known.transcriptId().isPresent()) {
            return known.transcriptId().get();
        }
        String uploadUrl = known.uploadUrl().orElse(null);
        if (uploadUrl == null) {
            uploadUrl = client.upload(apiKey, wav);
            ledger.uploaded(chunkId, uploadUrl);
        } else if (known.submitting()) {
            Optional<String> earlier = client.findByAudioUrl(apiKey, uploadUrl, config.submitLookupLimit());
            if (earlier.isPresent()) {
                ledger.submitted(chunkId, earlier.get());
                return earlier.get();
            }
        }
        ledger.submitting(chunkId);
        String transcriptId = client.submit(apiKey, request(uploadUrl, chunk.language()));
        ledger.submitted(chunkId, transcriptId);
        return transcriptId;
    }

    private TranscriptRequest request(String uploadUrl, String language) {
        boolean known = language != null && !language.isBlank();
        // AssemblyAI spells regional codes with an underscore in lower case: en-US → en_us.
        String code = known ? language.strip().replace('-', '_').toLowerCase(Locale.ROOT) : null;
        return new TranscriptRequest(uploadUrl, config.speechModels(), code, known ? null : Boolean.TRUE, true,
                true);
    }

    private static Transcript toTranscript(TranscriptResponse done, String requestedLanguage)
            throws TranscriptionException {
        if (done.text() == null) {
            throw new TranscriptionException(FailureKind.RETRYABLE,
                    "assemblyai transcript " + done.id() + " completed without text", null, null);
        }
        List<WordTiming> words = done.words() == null ? List.of() : done.words().stream()
                .map(w -> new WordTiming(w.text(), w.start(), w.end(), w.confidence() == null ? -1 : w.confidence()))
                .toList();
        String language = done.languageCode() != null ? done.languageCode() : requestedLanguage;
        return new Transcript(done.text(), done.confidence() == null ? 0 : done.confidence(), words, language,
                done.speechModelUsed());
    }
}
