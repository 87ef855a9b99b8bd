package dev.speechfleet.assemblyai;

import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.ModelLanguages;
import dev.speechfleet.core.provider.ProviderCapabilities;
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
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * AssemblyAI pre-recorded transcription as a fleet provider: upload the chunk, create one transcript
 * with explicit speech models, poll it until done. What exists at AssemblyAI for a chunk is recorded
 * in the {@link TranscriptLedger} before and after each step, so a retry or redelivery resumes where
 * the last attempt stopped and never creates a second transcript. A language the speech models do not
 * serve is refused before anything is uploaded. Created when its worker starts, so that a missing API
 * key stops the service at once with the variable to set.
 */
@ApplicationScoped
@Named(AssemblyAiProvider.NAME)
public class AssemblyAiProvider implements TranscriptionProvider {

    public static final String NAME = "assemblyai";

    private static final Logger LOG = Logger.getLogger(AssemblyAiProvider.class);

    private final AssemblyAiConfig config;
    private final AssemblyAiClient client;
    private final TranscriptLedger ledger;
    private final TranscriptPoller poller;
    private final String apiKey;
    private final ProviderCapabilities capabilities;

    AssemblyAiProvider(AssemblyAiConfig config, AssemblyAiClient client, TranscriptLedger ledger,
            TranscriptPoller poller) {
        this.apiKey = RequiredSetting.require(config.apiKey(), AssemblyAiConfig.API_KEY_PROPERTY,
                AssemblyAiConfig.API_KEY_ENV);
        this.config = config;
        this.client = client;
        this.ledger = ledger;
        this.poller = poller;
        // The configured languages, else what the speech models' documented lists cover.
        this.capabilities = ProviderCapabilities.ofWavModel(config.languages(),
                ModelLanguages.assemblyAi(config.speechModels()),
                "assemblyai speech models " + config.speechModels() + " (one of them)",
                "assemblyai.languages (ASSEMBLYAI_LANGUAGES)");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Transcript transcribe(AudioChunk chunk) throws TranscriptionException {
        String code = languageCode(chunk);
        byte[] wav = WavEncoder.wav(chunk);
        Submitted transcript = transcriptFor(chunk, wav, code);
        TranscriptResponse done;
        try {
            done = poller.awaitCompletion(apiKey, chunk.chunkId(), transcript.id(), transcript.justSubmitted());
        } catch (TranscriptionException e) {
            if (e.kind() == FailureKind.PERMANENT) {
                // AssemblyAI failed the transcript for good: nothing to read, nothing to keep.
                deleteIfConfigured(chunk.chunkId(), transcript.id());
            }
            throw e;
        }
        deleteIfConfigured(chunk.chunkId(), done.id() == null ? transcript.id() : done.id());
        return toTranscript(done, chunk.language(), code);
    }

    @Override
    public ProviderCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public void workerStopping() {
        poller.stop();
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

    @Override
    public boolean callsWaitOnNetwork() {
        return true;
    }

    /**
     * AssemblyAI's code for the chunk's language, {@code null} (language detection) for a chunk without
     * one, or a refusal before anything is uploaded.
     */
    private String languageCode(AudioChunk chunk) throws TranscriptionException {
        if (chunk.language() == null || chunk.language().isBlank()) {
            return null;
        }
        return capabilities.resolve(chunk.language()).map(AssemblyAiLanguages::code)
                .orElseThrow(() -> TranscriptionException.permanent("assemblyai speech models "
                        + config.speechModels() + " do not serve language '" + chunk.language() + "'"));
    }

    /** A transcript id, and whether this attempt created it (its first poll then waits). */
    private record Submitted(String id, boolean justSubmitted) {
    }

    /** The chunk's transcript: the one recorded, one an unanswered submit created, or a new one. */
    private Submitted transcriptFor(AudioChunk chunk, byte[] wav, String code) throws TranscriptionException {
        String chunkId = chunk.chunkId();
        TranscriptLedger.Entry known = ledger.find(chunkId);
        if (known.transcriptId().isPresent()) {
            return new Submitted(known.transcriptId().get(), false);
        }
        String uploadUrl = known.uploadUrl().orElse(null);
        if (uploadUrl == null) {
            uploadUrl = client.upload(apiKey, wav);
            ledger.uploaded(chunkId, uploadUrl);
        } else if (known.submitting()) {
            Optional<String> earlier = client.findByAudioUrl(apiKey, uploadUrl, config.submitLookupLimit(),
                    config.submitLookupPages(), known.submittingSinceMillis());
            if (earlier.isPresent()) {
                ledger.submitted(chunkId, earlier.get());
                return new Submitted(earlier.get(), false);
            }
        }
        ledger.submitting(chunkId, System.currentTimeMillis());
        String transcriptId = client.submit(apiKey, new TranscriptRequest(uploadUrl, config.speechModels(), code,
                code == null ? Boolean.TRUE : null, true, true, chunk.keyterms().isEmpty() ? null : chunk.keyterms()));
        ledger.submitted(chunkId, transcriptId);
        return new Submitted(transcriptId, true);
    }

    /**
     * Data retention: the transcript and its upload are deleted once read, and the chunk's record with
     * them. A failed delete costs nothing but the retention: the text is already in hand.
     */
    private void deleteIfConfigured(String chunkId, String transcriptId) {
        if (!config.deleteAfterRead()) {
            return;
        }
        try {
            client.delete(apiKey, transcriptId);
            ledger.forget(chunkId);
        } catch (TranscriptionException e) {
            LOG.warnf("could not delete assemblyai transcript %s of %s: %s", transcriptId, chunkId, e.getMessage());
        }
    }

    /**
     * A completed transcript without text is AssemblyAI's final answer for audio without speech: an
     * empty transcript, not a reason to ask again.
     */
    private static Transcript toTranscript(TranscriptResponse done, String requestedLanguage, String sentCode) {
        List<WordTiming> words = done.words() == null ? List.of() : done.words().stream()
                .map(w -> new WordTiming(w.text(), w.start(), w.end(), w.confidence() == null ? -1 : w.confidence()))
                .toList();
        String text = done.text() == null ? "" : done.text();
        double confidence = text.isBlank() || done.confidence() == null ? 0 : done.confidence();
        return new Transcript(text, confidence, words,
                AssemblyAiLanguages.reported(requestedLanguage, sentCode, done.languageCode()), done.speechModelUsed());
    }
}
