package dev.speechfleet.core.redis;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * With {@code fleet.redis.embedded=true} and no {@code REDIS_URL}, starts an {@link EmbeddedRedis}
 * when the runtime configuration is built and points {@code quarkus.redis.hosts} at it, so that a
 * development run needs nothing installed. The server stops when the JVM exits.
 *
 * <p>Its ordinal sits above {@code application.properties} and below environment variables, so an
 * explicit {@code QUARKUS_REDIS_HOSTS} still wins.
 */
public class EmbeddedRedisConfigSourceFactory implements ConfigSourceFactory {

    static final String ENABLED = "fleet.redis.embedded";
    static final int ORDINAL = 275;

    private static EmbeddedRedis running;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!isTrue(context.getValue(ENABLED)) || isSet(context.getValue("REDIS_URL"))) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(Map.of("quarkus.redis.hosts", start().url()), "embedded-redis",
                ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /** One server per JVM, however often the configuration is rebuilt. */
    static synchronized EmbeddedRedis start() {
        if (running == null || !running.isRunning()) {
            EmbeddedRedis redis = EmbeddedRedis.start();
            Runtime.getRuntime().addShutdownHook(new Thread(redis::stop, "embedded-redis-stop"));
            running = redis;
        }
        return running;
    }

    static synchronized EmbeddedRedis running() {
        return running;
    }

    private static boolean isTrue(ConfigValue value) {
        return value != null && "true".equalsIgnoreCase(value.getValue());
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
