package dev.speechfleet.router.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.testing.TestRedis;
import dev.speechfleet.router.config.RouterConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The result pump is the one thread that delivers this instance's transcripts: a round that fails is
 * retried, and an {@link Error} that ends the thread (the heap ran out) turns the instance's liveness
 * DOWN instead of leaving sockets open that never get their results.
 */
class ResultPumpFailureTest {

    private static TestRedis redis;
    private ResultPump pump;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void stopPump() {
        pump.onStop(null);
    }

    @Test
    void anErrorStopsThePumpAndTurnsLivenessDown() {
        pump = new ResultPump(redis.streams(), recipients(() -> {
            throw new OutOfMemoryError("test: the heap is full");
        }), config());
        pump.onStart(null);

        pump.watch("s1");

        await().atMost(Duration.ofSeconds(10)).until(() -> pump.stoppedBy() != null);
        assertThat(pump.stoppedBy()).isInstanceOf(OutOfMemoryError.class);
        HealthCheckResponse liveness = new ResultPumpLiveness(pump).call();
        assertThat(liveness.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(liveness.getData().orElseThrow().get("stopped_by").toString()).contains("the heap is full");
    }

    @Test
    void aRoundThatFailsIsRetriedAndLivenessStaysUp() {
        AtomicInteger rounds = new AtomicInteger();
        pump = new ResultPump(redis.streams(), recipients(() -> {
            if (rounds.incrementAndGet() == 1) {
                throw new IllegalStateException("test: one bad round");
            }
        }), config());
        pump.onStart(null);

        pump.watch("s1");
        await().atMost(Duration.ofSeconds(10)).until(() -> rounds.get() >= 1);
        pump.watch("s2");

        await().atMost(Duration.ofSeconds(10)).until(() -> rounds.get() >= 2);
        assertThat(pump.stoppedBy()).isNull();
        assertThat(new ResultPumpLiveness(pump).call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    /** Sessions none of which exist; {@code lookup} runs on every look-up (and may throw). */
    private static ResultRecipients recipients(Runnable lookup) {
        return new ResultRecipients() {
            @Override
            public Optional<? extends ResultRecipient> bySession(String sessionId) {
                lookup.run();
                return Optional.empty();
            }

            @Override
            public Collection<? extends ResultRecipient> sessions() {
                return List.of();
            }
        };
    }

    /** The router's settings at their defaults. */
    private static RouterConfig config() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(RouterConfig.class)
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(Duration.class, 100, new DurationConverter()).build();
        return config.getConfigMapping(RouterConfig.class);
    }
}
