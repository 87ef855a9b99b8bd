package dev.speechfleet.core.redis;

import dev.speechfleet.core.config.FleetConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Runs {@link RedisRequirements} when any fleet service starts, before the services' own start-up
 * work (workers, sweepers): an exception here stops the start-up with its message.
 */
@ApplicationScoped
class RedisRequirementsCheck {

    void onStart(@Observes @Priority(1) StartupEvent event, RedisStreams redis, FleetConfig config) {
        RedisRequirements.verify(redis, config.redis().evictionCheck());
    }
}
