package dev.speechfleet.core.redis;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * With {@code fleet.redis.embedded=true} and no {@code REDIS_URL}, starts an {@link EmbeddedRedis}
 * when the runtime configuration is built and points {@code quarkus.redis.hosts} at it, so that a
 * development run needs nothing installed. The server stops when the JVM exits. With
 * {@code fleet.redis.embedded-data-dir} it keeps its data in that directory with AOF, so that a
 * restarted development fleet finds its streams, sessions and devices again.
 *
 * <p>Its ordinal sits above {@code application.properties} and below environment variables, so an
 * explicit {@code QUARKUS_REDIS_HOSTS} still wins.
 */
public class EmbeddedRedisConfigSourceFactory implements ConfigSourceFactory {

    static final String ENABLED = "fleet.redis.embedded";
    static final String DATA_DIR = "fleet.redis.embedded-data-dir";
    static final int ORDINAL = 275;

    private static EmbeddedRedis running;
    /**
     * Set when the application has stopped using Redis. A system property, not a static field: in
     * tests the factory and the shutdown observer may be loaded by different class loaders.
     */
    static final String APPLICATION_STOPPED = "speechfleet.embedded-redis.application-stopped";
    private static final long STOP_WAIT_MILLIS = 30_000;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!isTrue(context.getValue(ENABLED)) || isSet(context.getValue("REDIS_URL"))) {
            return List.of();
        }
        ConfigValue dataDir = context.getValue(DATA_DIR);
        Optional<Path> dir = isSet(dataDir) ? Optional.of(Path.of(dataDir.getValue())) : Optional.empty();
        return List.of(new PropertiesConfigSource(Map.of("quarkus.redis.hosts", start(dir).url()), "embedded-redis",
                ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /**
     * One server per JVM, however often the configuration is rebuilt; with a data directory it keeps
     * its data there with AOF and finds it again at the next start.
     */
    static synchronized EmbeddedRedis start(Optional<Path> dataDir) {
        if (running == null || !running.isRunning()) {
            System.clearProperty(APPLICATION_STOPPED);
            EmbeddedRedis.Options options = EmbeddedRedis.Options.defaults();
            EmbeddedRedis redis = EmbeddedRedis.start(dataDir.map(options::withDataDir).orElse(options));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAfterApplication(redis), "embedded-redis-stop"));
            running = redis;
        }
        return running;
    }

    /**
     * JVM shutdown hooks run concurrently, so the hook that stops the server waits until the
     * application has stopped its workers (or a bound passes): the server is never gone under them.
     */
    private static void stopAfterApplication(EmbeddedRedis redis) {
        if (!redis.isRunning()) {
            return;
        }
        long deadline = System.currentTimeMillis() + STOP_WAIT_MILLIS;
        while (System.getProperty(APPLICATION_STOPPED) == null && System.currentTimeMillis() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        redis.stop();
    }

    /** Called once the application has stopped using Redis. */
    static void applicationStopped() {
        System.setProperty(APPLICATION_STOPPED, "true");
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
