package dev.speechfleet.aggregator;

import dev.speechfleet.core.consumer.ConsumerLoop;
import dev.speechfleet.core.redis.RedisStreams;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;

/**
 * An aggregator instance in a JVM of its own, for the crash test to kill with SIGKILL:
 * {@code java -cp <test class path> dev.speechfleet.aggregator.AggregatorProcess <redis url> <consumer> <consensus ms>}.
 */
public final class AggregatorProcess {

    private AggregatorProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: AggregatorProcess <redis url> <consumer name> <consensus timeout ms>");
            System.exit(2);
        }
        Vertx vertx = Vertx.vertx();
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(args[0]).setMaxPoolSize(8)
                .setMaxPoolWaiting(64));
        RedisStreams streams = new RedisStreams(client, Duration.ofSeconds(5));
        ConsumerLoop loop = AggregatorLoop.create(streams,
                TestAggregatorSettings.fast(args[1], Duration.ofMillis(Long.parseLong(args[2]))),
                new SimpleMeterRegistry());
        loop.start();
        System.out.println("aggregator process " + ProcessHandle.current().pid() + " started as " + args[1]);
        Thread.currentThread().join();
    }
}
