package dev.speechfleet.assemblyai;

import dev.speechfleet.core.config.FleetConfig;
import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.ProviderCallException;
import dev.speechfleet.core.provider.ProviderGuard;
import dev.speechfleet.core.provider.TranscriptionException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The AssemblyAI calls, each through the provider's {@link ProviderGuard} (so upload, submit, poll and
 * lookup share its breakers), with what AssemblyAI's answers mean: a transcript it does not know, one
 * made by an earlier unanswered submit.
 */
@ApplicationScoped
class AssemblyAiClient {

    private static final int NOT_FOUND = 404;
    private static final int BAD_REQUEST = 400;
    /** How far before the unanswered submit a listed transcript may be and still be ours (clock skew). */
    private static final Duration SKEW = Duration.ofMinutes(10);

    private final AssemblyAiApi api;
    private final ProviderGuard guard;

    AssemblyAiClient(@RestClient AssemblyAiApi api, FleetConfig fleet) {
        this.api = api;
        this.guard = ProviderGuard.create(AssemblyAiProvider.NAME, fleet.providers().callTimeout());
    }

    /** {@code POST /v2/upload}: the URL AssemblyAI keeps the audio under. */
    String upload(String apiKey, byte[] wav) throws TranscriptionException {
        UploadResponse response = guard.call(() -> api.upload(apiKey, wav));
        if (response == null || response.uploadUrl() == null || response.uploadUrl().isBlank()) {
            throw ProviderCallException.badReply(AssemblyAiProvider.NAME, "upload without upload_url")
                    .toTranscriptionException();
        }
        return response.uploadUrl();
    }

    /** {@code POST /v2/transcript}: the new transcript's id. */
    String submit(String apiKey, TranscriptRequest request) throws TranscriptionException {
        TranscriptResponse response = guard.call(() -> api.submit(apiKey, request));
        if (response == null || response.id() == null || response.id().isBlank()) {
            throw ProviderCallException.badReply(AssemblyAiProvider.NAME, "transcript without id")
                    .toTranscriptionException();
        }
        return response.id();
    }

    /**
     * {@code GET /v2/transcript/{id}}; empty when AssemblyAI has no such transcript: a 404, or a 400
     * saying "Transcript not found" (what AssemblyAI answers for some ids it does not know).
     */
    Optional<TranscriptResponse> get(String apiKey, String transcriptId) throws TranscriptionException {
        TranscriptResponse response;
        try {
            response = guard.call(() -> api.get(apiKey, transcriptId));
        } catch (TranscriptionException e) {
            if (e.getCause() instanceof ProviderCallException http && isNotFound(http)) {
                return Optional.empty();
            }
            throw e;
        }
        if (response == null || response.status() == null) {
            throw ProviderCallException.badReply(AssemblyAiProvider.NAME, "transcript without status")
                    .toTranscriptionException();
        }
        return Optional.of(response);
    }

    /**
     * The id of a transcript made from {@code audioUrl}, searched page by page back from the newest, up
     * to {@code maxPages} pages of {@code pageSize}, and no further back than transcripts created well
     * before {@code submittedAtMillis} (0: unknown, only the page limit applies).
     */
    Optional<String> findByAudioUrl(String apiKey, String audioUrl, int pageSize, int maxPages,
            long submittedAtMillis) throws TranscriptionException {
        String before = null;
        for (int pageNo = 0; pageNo < maxPages; pageNo++) {
            String beforeId = before;
            TranscriptPage page = guard.call(() -> api.list(apiKey, pageSize, beforeId));
            if (page == null || page.transcripts() == null || page.transcripts().isEmpty()) {
                return Optional.empty();
            }
            Optional<String> found = page.transcripts().stream().filter(t -> audioUrl.equals(t.audioUrl()))
                    .map(TranscriptPage.Item::id).findFirst();
            TranscriptPage.Item oldest = page.transcripts().getLast();
            if (found.isPresent() || page.transcripts().size() < pageSize
                    || createdBefore(oldest, submittedAtMillis)) {
                return found;
            }
            before = oldest.id();
        }
        return Optional.empty();
    }

    /** {@code DELETE /v2/transcript/{id}}: AssemblyAI drops the transcript's data and its uploaded audio. */
    void delete(String apiKey, String transcriptId) throws TranscriptionException {
        try {
            guard.call(() -> api.delete(apiKey, transcriptId));
        } catch (TranscriptionException e) {
            if (!(e.getCause() instanceof ProviderCallException http && isNotFound(http))) {
                throw e;
            }
        }
    }

    private static boolean isNotFound(ProviderCallException http) {
        return http.status() == NOT_FOUND || http.status() == BAD_REQUEST && http.getMessage() != null
                && http.getMessage().toLowerCase(Locale.ROOT).contains("transcript not found");
    }

    /** Whether the item was created before our submit, allowing for clock skew; unknown times are not. */
    private static boolean createdBefore(TranscriptPage.Item item, long submittedAtMillis) {
        if (submittedAtMillis <= 0 || item.created() == null) {
            return false;
        }
        try {
            long created = LocalDateTime.parse(item.created()).toInstant(ZoneOffset.UTC).toEpochMilli();
            return created < submittedAtMillis - SKEW.toMillis();
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** What the router sees: both breakers combined. */
    CircuitState circuitState() {
        return guard.circuitState();
    }
}
