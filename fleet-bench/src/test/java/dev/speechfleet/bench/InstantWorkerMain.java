package dev.speechfleet.bench;

import dev.speechfleet.core.config.FleetConfig;
import dev.speechfleet.core.liveness.ProviderAvailability;
import dev.speechfleet.core.provider.ProviderCatalog;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.worker.ConsumerNames;
import dev.speechfleet.core.worker.StreamWorker;
import dev.speechfleet.core.worker.WorkerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * A consumer process of the benchmark's own: fleet-core's {@link StreamWorker}, exactly as a provider
 * service runs it ({@code WorkerLauncher}: settings from {@code fleet.*} with the services' defaults,
 * one liveness view), serving the {@link InstantProvider} in a JVM of its own. Configured by system
 * properties: {@code quarkus.redis.hosts}, the {@code fleet.worker.*} keys, and
 * {@code bench.provider.name} (default {@code instant}), {@code bench.provider.latency} (default
 * {@code 0ms}), {@code bench.provider.failure-rate} (default 0). The Redis pool has the Quarkus
 * client's defaults (6 connections, 24 waiting) unless {@code quarkus.redis.max-pool-size} and
 * {@code quarkus.redis.max-pool-waiting} say otherwise. Prints {@code READY} once it serves its stream.
 */
public final class InstantWorkerMain {

    private InstantWorkerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultSources()
                .withConverter(Duration.class, 200, new DurationConverter()).withMapping(FleetConfig.class).build();
        FleetConfig fleet = config.getConfigMapping(FleetConfig.class);
        InstantProvider provider = new InstantProvider(
                config.getOptionalValue("bench.provider.name", String.class).orElse("instant"),
                config.getOptionalValue("bench.provider.latency", Duration.class).orElse(Duration.ZERO),
                config.getOptionalValue("bench.provider.failure-rate", Double.class).orElse(0.0));

        Redis client = Redis.createClient(Vertx.vertx(), new RedisOptions()
                .setConnectionString(config.getValue("quarkus.redis.hosts", String.class))
                .setMaxPoolSize(config.getOptionalValue("quarkus.redis.max-pool-size", Integer.class).orElse(6))
                .setMaxPoolWaiting(config.getOptionalValue("quarkus.redis.max-pool-waiting", Integer.class).orElse(24)));
        RedisStreams redis = new RedisStreams(client, fleet.redis().commandTimeout());
        Set<String> tracked = new LinkedHashSet<>(fleet.routing().defaultChain());
        ProviderCatalog.entries().forEach(e -> tracked.add(e.name()));
        tracked.add(provider.name());
        ProviderAvailability availability = new ProviderAvailability(redis, fleet.providers().liveIdle(), tracked,
                Set.copyOf(fleet.providers().scaleFromZero().orElse(List.of())), Clock.systemUTC());
        WorkerSettings settings = WorkerSettings.fromConfig(fleet,
                fleet.worker().consumerName().orElseGet(ConsumerNames::defaultName),
                fleet.worker().concurrency().orElse(provider.defaultConcurrency()));

        StreamWorker worker = new StreamWorker(redis, provider, settings, new SimpleMeterRegistry(), availability);
        worker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(worker::stop));
        System.out.println("READY");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
