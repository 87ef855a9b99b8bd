package dev.speechfleet.deepgram;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Settings of the Deepgram consumer ({@code deepgram.*}). */
@ConfigMapping(prefix = "deepgram")
public interface DeepgramConfig {

    /** Property that holds the API key, named in the start-up error when it is missing. */
    String API_KEY_PROPERTY = "deepgram.api-key";
    /** Environment variable that sets {@link #API_KEY_PROPERTY}. */
    String API_KEY_ENV = "DEEPGRAM_API_KEY";

    /** API key, sent as {@code Authorization: Token <key>}; required (environment variable DEEPGRAM_API_KEY). */
    Optional<String> apiKey();

    /** Deepgram API root; the REST client {@code deepgram} is pointed at it (regional: api.eu.deepgram.com, …). */
    @WithDefault("https://api.deepgram.com")
    String baseUrl();

    /** Model query parameter; Deepgram's own default is base-general, so it is always sent. */
    @WithDefault("nova-3")
    String model();

    /**
     * BCP-47 languages the model serves, published for routing. Unset: the documented list of
     * {@link #model()} (nova-3, nova-3-general, nova-3-medical); required for any other model.
     */
    Optional<List<String>> languages();

    /**
     * Sends {@code mip_opt_out=true}: the requests are left out of Deepgram's Model Improvement Program
     * (which Deepgram may price differently; see https://dpgr.am/deepgram-mip).
     */
    @WithDefault("false")
    boolean mipOptOut();

    /** Whether Deepgram applies smart formatting (numbers, dates, punctuation). */
    @WithDefault("true")
    boolean smartFormat();

    /** Whether Deepgram adds punctuation and capitalisation. */
    @WithDefault("true")
    boolean punctuate();

    /** USD per audio minute, for the cost on each hypothesis (nova-3 pre-recorded list price, provider-contracts §5). */
    @WithDefault("0.0043")
    double pricePerMinuteUsd();

    /**
     * Calls to Deepgram in flight at once from one consumer (each waits on a virtual thread) unless
     * fleet.worker.concurrency says otherwise: Deepgram limits concurrent pre-recorded requests per project
     * (100 on pay-as-you-go; 429 above), so replicas of one project share this figure.
     */
    @WithDefault("100")
    int concurrency();
}
