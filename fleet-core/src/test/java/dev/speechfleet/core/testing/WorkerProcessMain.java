package dev.speechfleet.core.testing;

import dev.speechfleet.core.consumer.LoopSettings;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.worker.StreamWorker;
import dev.speechfleet.core.worker.WorkerSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A worker in a JVM of its own, for tests that kill it with SIGKILL. Arguments: Redis URL, provider
 * name, consumer name, milliseconds each transcription takes, concurrency. Prints {@code READY} once
 * it serves its stream, then runs until killed.
 */
public final class WorkerProcessMain {

    private WorkerProcessMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String url = args[0];
        String provider = args[1];
        String consumer = args[2];
        long workMillis = Long.parseLong(args[3]);
        int concurrency = Integer.parseInt(args[4]);

        Redis client = Redis.createClient(Vertx.vertx(), new RedisOptions().setConnectionString(url));
        RedisStreams streams = new RedisStreams(client, Duration.ofSeconds(5));
        ScriptedProvider slow = new ScriptedProvider(provider)
                .slow(Duration.ofMillis(workMillis), Duration.ofMillis(workMillis));
        LoopSettings loop = LoopSettings.builder().handlerThreads(concurrency).reads(concurrency, Duration.ofMillis(100))
                .claims(Duration.ofSeconds(60), Duration.ofMillis(200))
                .departures(Duration.ofMinutes(10), Duration.ofSeconds(5)).build();
        WorkerSettings settings = WorkerSettings.builder(consumer, List.of()).loop(loop)
                .retries(2, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(1)).maxDeliveries(3)
                .maxAttempts(8).caps(10_000, 10_000).build();
        new StreamWorker(streams, slow, settings, new SimpleMeterRegistry()).start();
        System.out.println("READY");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
