package dev.speechfleet.parakeet;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Settings of the Parakeet consumer ({@code parakeet.*}). */
@ConfigMapping(prefix = "parakeet")
public interface ParakeetConfig {

    /** Property that holds the server address, named in the start-up error when it is missing. */
    String BASE_URL_PROPERTY = "parakeet.base-url";
    /** Environment variable that sets {@link #BASE_URL_PROPERTY}. */
    String BASE_URL_ENV = "PARAKEET_BASE_URL";

    /**
     * Root of the OpenAI-style server (NIM: {@code http://<host>:9000}); required (environment variable
     * PARAKEET_BASE_URL). The REST client {@code parakeet} is pointed at it.
     */
    Optional<String> baseUrl();

    /** Key sent as {@code Authorization: Bearer <key>} when set; a self-hosted NIM needs none (PARAKEET_API_KEY). */
    Optional<String> apiKey();

    /** Model id sent in the {@code model} field when set (it takes precedence over language on a NIM). */
    Optional<String> model();

    /**
     * Confidence put on every Parakeet hypothesis, because the HTTP API returns none: the expected word
     * accuracy, 1 - 6.05 % average WER of parakeet-tdt-0.6b-v2 on the Open ASR leaderboard.
     */
    @WithDefault("0.94")
    double assumedConfidence();

    /** USD per audio minute for the cost on each hypothesis; self-hosted GPUs have no list price, so 0 by default. */
    @WithDefault("0")
    double pricePerMinuteUsd();

    /** Chunks sent to the server at once by one consumer unless fleet.worker.concurrency says otherwise. */
    @WithDefault("4")
    int concurrency();
}
