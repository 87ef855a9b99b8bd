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

    /** USD per audio minute for the cost on each hypothesis: universal-2 0.0025; 0.0035 when universal-3-5-pro leads. */
    @WithDefault("0.0025")
    double pricePerMinuteUsd();

    /** First wait between two polls of a transcript; doubles per poll up to {@link #pollMaxInterval()}. */
    @WithDefault("500ms")
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

    /** Recent transcripts searched for a chunk's upload when an earlier submit ended without an answer. */
    @WithDefault("100")
    int submitLookupLimit();

    /** Chunks in flight at once per consumer unless fleet.worker.concurrency says otherwise (jobs queue at AssemblyAI). */
    @WithDefault("8")
    int concurrency();
}
