package dev.speechfleet.core.redis;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Lets an embedded Redis (development runs) stop only after everything else observing shutdown,
 * workers included, has finished: this observer runs last.
 */
@ApplicationScoped
class EmbeddedRedisShutdown {

    void onStop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        EmbeddedRedisConfigSourceFactory.applicationStopped();
    }
}
