package dev.speechfleet.assemblyai;

import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.stream.FailureKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Polls a transcript with doubling waits until it is {@code completed} or {@code error}, up to the
 * poll deadline. A failed poll or an expired deadline fails the attempt as retryable; the transcript
 * stays recorded, so the worker's retry polls it again rather than creating another. When the worker
 * stops, every wait ends at once and the chunk is left to another worker, which polls the same
 * transcript.
 */
@ApplicationScoped
class TranscriptPoller {

    private final AssemblyAiClient client;
    private final TranscriptLedger ledger;
    private final AssemblyAiConfig config;
    private final CountDownLatch stopping = new CountDownLatch(1);

    TranscriptPoller(AssemblyAiClient client, TranscriptLedger ledger, AssemblyAiConfig config) {
        this.client = client;
        this.ledger = ledger;
        this.config = config;
    }

    /**
     * The finished transcript.
     *
     * @param justSubmitted whether the transcript was created by this attempt: its first poll then waits
     *                      {@code assemblyai.first-poll-delay}; a known transcript is polled at once
     */
    TranscriptResponse awaitCompletion(String apiKey, String chunkId, String transcriptId, boolean justSubmitted)
            throws TranscriptionException {
        long deadline = System.nanoTime() + config.pollDeadline().toNanos();
        if (justSubmitted) {
            pause(config.firstPollDelay(), transcriptId);
        }
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

    /** The worker stops: no poll waits any longer, and none starts. */
    void stop() {
        stopping.countDown();
    }

    private TranscriptResponse poll(String apiKey, String chunkId, String transcriptId)
            throws TranscriptionException {
        failIfStopping(transcriptId);
        Optional<TranscriptResponse> transcript = client.get(apiKey, transcriptId);
        if (transcript.isEmpty()) {
            ledger.forgetTranscript(chunkId);
            throw new TranscriptionException(FailureKind.RETRYABLE, "assemblyai has no transcript " + transcriptId
                    + " any more; the next attempt creates one from the same upload", null, null);
        }
        return transcript.get();
    }

    private void pause(Duration wait, String transcriptId) throws TranscriptionException {
        try {
            if (stopping.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                failIfStopping(transcriptId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TranscriptionException(FailureKind.RETRYABLE,
                    "interrupted while polling assemblyai transcript " + transcriptId, null, e);
        }
    }

    private void failIfStopping(String transcriptId) throws TranscriptionException {
        if (stopping.getCount() == 0) {
            throw new TranscriptionException(FailureKind.RETRYABLE, "the worker stops; assemblyai transcript "
                    + transcriptId + " stays recorded for the worker that takes the chunk over", null, null);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
