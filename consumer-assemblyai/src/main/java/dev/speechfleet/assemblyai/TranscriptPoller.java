package dev.speechfleet.assemblyai;

import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.stream.FailureKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Polls a transcript with doubling waits until it is {@code completed} or {@code error}, up to the
 * poll deadline. A failed poll or an expired deadline fails the attempt as retryable; the transcript
 * stays recorded, so the worker's retry polls it again rather than creating another.
 */
@ApplicationScoped
class TranscriptPoller {

    private final AssemblyAiClient client;
    private final TranscriptLedger ledger;
    private final AssemblyAiConfig config;

    TranscriptPoller(AssemblyAiClient client, TranscriptLedger ledger, AssemblyAiConfig config) {
        this.client = client;
        this.ledger = ledger;
        this.config = config;
    }

    TranscriptResponse awaitCompletion(String apiKey, String chunkId, String transcriptId)
            throws TranscriptionException {
        long deadline = System.nanoTime() + config.pollDeadline().toNanos();
        Duration wait = config.pollInterval();
        while (true) {
            TranscriptResponse transcript = poll(apiKey, chunkId, transcriptId);
            if (TranscriptResponse.COMPLETED.equals(transcript.status())) {
                return transcript;
            }
            if (TranscriptResponse.ERROR.equals(transcript.status())) {
                // AssemblyAI could not use the audio (HTTP 200, status error): another attempt cannot help.
                throw new TranscriptionException(FailureKind.PERMANENT,
                        "assemblyai transcript " + transcriptId + " failed: " + transcript.error(), null, null);
            }
            if (System.nanoTime() + wait.toNanos() > deadline) {
                throw new TranscriptionException(FailureKind.RETRYABLE, "assemblyai transcript " + transcriptId
                        + " still " + transcript.status() + " after " + config.pollDeadline().toMillis()
                        + " ms; the next attempt polls it again", null, null);
            }
            pause(wait, transcriptId);
            wait = min(wait.multipliedBy(2), config.pollMaxInterval());
        }
    }

    private TranscriptResponse poll(String apiKey, String chunkId, String transcriptId)
            throws TranscriptionException {
        Optional<TranscriptResponse> transcript = client.get(apiKey, transcriptId);
        if (transcript.isEmpty()) {
            ledger.forgetTranscript(chunkId);
            throw new TranscriptionException(FailureKind.RETRYABLE, "assemblyai has no transcript " + transcriptId
                    + " any more; the next attempt creates one from the same upload", null, null);
        }
        return transcript.get();
    }

    private static void pause(Duration wait, String transcriptId) throws TranscriptionException {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TranscriptionException(FailureKind.RETRYABLE,
                    "interrupted while polling assemblyai transcript " + transcriptId, null, e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
