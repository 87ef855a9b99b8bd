package dev.speechfleet.core.testing;

import dev.speechfleet.core.config.FleetConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;

/** {@code fleet.*} configuration outside a Quarkus application, for tests that build beans by hand. */
public final class FleetConfigs {

    private FleetConfigs() {
    }

    /** Every {@code fleet.*} setting at its default (durations written as Quarkus writes them: {@code 30s}). */
    public static FleetConfig defaults() {
        return new SmallRyeConfigBuilder().withMapping(FleetConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()).build()
                .getConfigMapping(FleetConfig.class);
    }
}
