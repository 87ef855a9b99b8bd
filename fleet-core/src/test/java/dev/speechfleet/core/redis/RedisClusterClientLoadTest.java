package dev.speechfleet.core.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.stream.EntryFields;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.EmbeddedRedisCluster;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster client as a fleet service configures it (a pool of 8 connections per node, the
 * default 1 s topology cache) under more concurrent commands than it has connections, while the
 * topology is refreshed: every command must be answered. With vertx-redis-client 4.5.26 a topology
 * refresh waited for a pooled connection that the commands waiting for that refresh were holding,
 * and every command then timed out (fixed in 4.5.27).
 */
class RedisClusterClientLoadTest {

    private static final int THREADS = 32;
    /** Three times the client's topology cache TTL (1 s): every run crosses several slot-map refreshes. */
    private static final Duration RUN_FOR = Duration.ofSeconds(3);

    private static EmbeddedRedisCluster cluster;
    private static Vertx vertx;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedRedisCluster.start(3);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopCluster() {
        vertx.close();
        cluster.close();
    }

    @Test
    void moreConcurrentCommandsThanPooledConnectionsAreAllAnsweredAcrossTopologyRefreshes() throws Exception {
        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER).setMaxPoolSize(8)
                .setMaxPoolWaiting(64);
        cluster.nodes().forEach(node -> options.addConnectionString(node.url()));
        Redis client = Redis.createClient(vertx, options);
        RedisStreams redis = new RedisStreams(client, Duration.ofSeconds(5));
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger answered = new AtomicInteger();
        long until = System.nanoTime() + RUN_FOR.toNanos();
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String stream = StreamKeys.audioStream("p" + t);
                runs.add(pool.submit(() -> {
                    for (int i = 0; System.nanoTime() < until && failures.isEmpty(); i++) {
                        try {
                            call(redis, stream, i);
                            answered.incrementAndGet();
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get(5, TimeUnit.MINUTES);
            }
        } finally {
            client.close();
        }

        assertThat(failures).as("failed commands").isEmpty();
        assertThat(answered.get()).as("commands answered in %s", RUN_FOR).isGreaterThan(THREADS * 10);
    }

    /** The commands a worker sends, keyless ones (routed by redirection) among them. */
    private static void call(RedisStreams redis, String stream, int i) {
        switch (i % 4) {
            case 0 -> redis.createGroup(stream, "g");
            case 1 -> redis.add(stream, EntryFields.of(Map.of("n", Integer.toString(i).getBytes())));
            case 2 -> redis.groups(stream);
            default -> redis.pendingSummary(stream, "g");
        }
    }
}
