package dev.speechfleet.parakeet;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
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

    /**
     * Sent as the {@code model} field when set. Leave it unset for an NVIDIA ASR NIM: the NIM picks its
     * model by {@code language}, and a {@code model} value takes precedence, so it must be one of the
     * NIM's own internal model names (those its Riva server lists, for example through gRPC
     * {@code GetRivaSpeechRecognitionConfig}; not a Hugging Face name such as parakeet-tdt-0.6b-v2).
     * Community OpenAI-style servers may need one, for example {@code nvidia/parakeet-tdt-0.6b-v3}.
     */
    Optional<String> model();

    /**
     * BCP-47 languages the deployment serves, published for routing and sent as {@code language}.
     * parakeet-tdt-0.6b-v2 is English only; a v3 deployment serves 25 European languages (bg, hr, cs,
     * da, nl, en, et, fi, fr, de, el, hu, it, lv, lt, mt, pl, pt, ro, sk, sl, es, sv, ru, uk).
     */
    @WithDefault("en")
    List<String> languages();

    /** Sample rates, in Hz, the deployment's model takes; Parakeet models are trained on 16 kHz audio. */
    @WithDefault("16000")
    List<Integer> sampleRates();

    /**
     * Confidence put on every non-empty Parakeet hypothesis, because the HTTP API returns none: the
     * expected word accuracy, 1 - 6.05 % average WER of parakeet-tdt-0.6b-v2 on the Open ASR
     * leaderboard. An empty transcript reports 0.
     */
    @WithDefault("0.94")
    double assumedConfidence();

    /** USD per audio minute for the cost on each hypothesis; self-hosted GPUs have no list price, so 0 by default. */
    @WithDefault("0")
    double pricePerMinuteUsd();

    /**
     * Requests in flight at once from one consumer (each waits on a virtual thread) unless
     * fleet.worker.concurrency says otherwise. A self-hosted server documents no limit; NIM batches
     * requests (its published throughput is at batch 128), so half a batch per consumer by default.
     */
    @WithDefault("64")
    int concurrency();
}
