package dev.speechfleet.assemblyai;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the AssemblyAI consumer ({@code assemblyai.*}). */
@ConfigMapping(prefix = "assemblyai")
public interface AssemblyAiConfig {

    /** Property that holds the API key, named in the start-up error when it is missing. */
    String API_KEY_PROPERTY = "assemblyai.api-key";
    /** Environment variable that sets {@link #API_KEY_PROPERTY}. */
    String API_KEY_ENV = "ASSEMBLYAI_API_KEY";

    /** API key, sent raw as {@code Authorization: <key>} (no scheme word); required (ASSEMBLYAI_API_KEY). */
    Optional<String> apiKey();

    /** API root; the REST client {@code assemblyai} is pointed at it (EU: https://api.eu.assemblyai.com). */
    @WithDefault("https://api.assemblyai.com")
    String baseUrl();

    /** {@code speech_models} sent with every transcript, in order of preference; always explicit (ADR 0020). */
    @WithDefault("universal-2")
    List<String> speechModels();

    /**
     * BCP-47 languages published for routing. Unset: what the documented lists of {@link #speechModels()}
     * cover together (AssemblyAI falls back along the list); required for a model not in those lists.
     */
    Optional<List<String>> languages();

    /** USD per audio minute for the cost on each hypothesis: universal-2 0.0025; 0.0035 when universal-3-5-pro leads. */
    @WithDefault("0.0025")
    double pricePerMinuteUsd();

    /**
     * Wait between submitting a transcript and its first poll: an utterance of a few seconds is often
     * done within a second, and a poll at once only ever sees {@code queued}.
     */
    @WithDefault("300ms")
    Duration firstPollDelay();

    /** Wait after a poll that saw the transcript unfinished; doubles per poll up to {@link #pollMaxInterval()}. */
    @WithDefault("300ms")
    Duration pollInterval();

    /** Longest wait between two polls (AssemblyAI suggests polling every 1 to 3 s). */
    @WithDefault("3s")
    Duration pollMaxInterval();

    /** How long one attempt polls before it fails as retryable; the next attempt polls the same transcript. */
    @WithDefault("90s")
    Duration pollDeadline();

    /** How long the chunk → transcript record is kept in Redis, so retries and redeliveries find the transcript. */
    @WithDefault("6h")
    Duration transcriptMemory();

    /**
     * Transcripts per page (1 to 200) when the list of recent transcripts is searched for a chunk's upload
     * after a submit that ended without an answer.
     */
    @WithDefault("200")
    int submitLookupLimit();

    /**
     * Most pages searched back for that upload; the search also stops at transcripts created well before
     * the unanswered submit. Every consumer of the account adds transcripts, so one page is not enough
     * under load.
     */
    @WithDefault("10")
    int submitLookupPages();

    /**
     * Deletes each transcript (and with it the uploaded audio) once its text is read, so that AssemblyAI
     * keeps nothing (data retention). A chunk retried after that is uploaded and transcribed again.
     */
    @WithDefault("false")
    boolean deleteAfterRead();

    /**
     * Chunks in flight at once per consumer (each waits on a virtual thread) unless fleet.worker.concurrency
     * says otherwise: AssemblyAI runs 5 jobs at once on a free account (200+ paid) and queues the rest.
     */
    @WithDefault("5")
    int concurrency();
}
