package dev.speechfleet.bench.router;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of the benchmark's utterance injector ({@code bench.injector.*}). */
@ConfigMapping(prefix = "bench.injector")
public interface InjectorConfig {

    /** Threads that dispatch injected utterances; each session's utterances still go one at a time, in order. */
    @WithDefault("64")
    int threads();
}
