package dev.speechfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.client.DeviceReport;
import dev.speechfleet.client.ServerMessage;
import dev.speechfleet.core.redis.EmbeddedRedis;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet on a Redis whose default user is switched off: every service reaches it as the ACL user
 * of docs/operations.md, given only as {@code redis://user:password@host:port}. The user may not run
 * administrative or dangerous commands ({@code -@dangerous}: no KEYS, CONFIG, FLUSHALL…), which the
 * fleet never needs.
 */
class RedisAclUserFleetTest {

    static final String USER = "fleet";
    static final String PASSWORD = "s3cret-for-tests";

    private EmbeddedRedis redis;
    private CloudMocks cloud;
    private SmallFleet fleet;
    private Vertx vertx;
    private final List<Redis> clients = new java.util.ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        redis = EmbeddedRedis.start(EmbeddedRedis.freePort(), null, List.of(
                "--user", "default", "off",
                "--user", USER, "on", ">" + PASSWORD, "~*", "&*", "+@all", "-@dangerous"));
        cloud = new CloudMocks();
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        clients.forEach(Redis::close);
        vertx.close();
        cloud.close();
        redis.stop();
    }

    @Test
    void theFleetRunsAsAnAclUserGivenInTheRedisUrl() throws Exception {
        String url = "redis://" + USER + ":" + PASSWORD + "@127.0.0.1:" + redis.port();
        RedisStreams asUser = streams(url);
        assertThatThrownBy(() -> streams(redis.url()).send(Request.cmd(Command.PING)))
                .as("the default user is off").hasMessageContaining("NOAUTH");
        assertThatThrownBy(() -> asUser.send(Request.cmd(Command.KEYS).arg("*")))
                .as("the fleet's user may not run dangerous commands").hasMessageContaining("NOPERM");

        fleet = SmallFleet.start(Map.of("quarkus.redis.hosts", url), cloud);
        fleet.awaitWorkersLive(asUser);
        List<DeviceReport> reports = fleet.run(List.of(
                fleet.device("acl-1", VoicedBursts.of(2, 900, 800), List.of()),
                fleet.device("acl-2", VoicedBursts.of(2, 900, 800), SmallFleet.PROVIDERS)));

        for (DeviceReport report : reports) {
            assertThat(report.results()).as("results of %s", report.deviceId()).hasSize(2)
                    .allSatisfy(r -> assertThat(r.message()).isInstanceOf(ServerMessage.Transcript.class));
            assertThat(report.healthy()).as("%s in order, no gap, closed normally", report.deviceId()).isTrue();
        }
        // the aggregator acknowledges a hypothesis after announcing its result, which already wakes the router
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                asUser.pendingSummary(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP).count())
                .as("pending on %s", StreamKeys.HYPOTHESES).isZero());
    }

    private RedisStreams streams(String url) {
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url));
        clients.add(client);
        return new RedisStreams(client, Duration.ofSeconds(5));
    }
}
