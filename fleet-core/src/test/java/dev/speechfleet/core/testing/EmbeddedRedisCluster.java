package dev.speechfleet.core.testing;

import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.EmbeddedRedis;
import dev.speechfleet.core.redis.RedisStreams;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster of three (or more) primaries on the loopback interface, made from the same
 * {@code redis-server} binary as {@link EmbeddedRedis}: every node starts with
 * {@code --cluster-enabled yes}, gets its share of the 16384 slots with {@code CLUSTER ADDSLOTSRANGE}
 * and meets the others with {@code CLUSTER MEET}; no {@code redis-cli --cluster} is involved.
 * {@link #hosts()} is what {@code quarkus.redis.hosts} takes with {@code quarkus.redis.client-type=cluster}.
 */
public final class EmbeddedRedisCluster implements AutoCloseable {

    private static final int SLOTS = 16384;
    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

    private final List<EmbeddedRedis> nodes;
    private final List<Integer> busPorts;
    private final Path dir;
    private final Vertx vertx = Vertx.vertx();
    private final List<Redis> nodeClients = new ArrayList<>();
    private final List<RedisStreams> nodeStreams = new ArrayList<>();
    private Redis clusterClient;
    private RedisStreams streams;

    private EmbeddedRedisCluster(List<EmbeddedRedis> nodes, List<Integer> busPorts, Path dir) {
        this.nodes = nodes;
        this.busPorts = busPorts;
        this.dir = dir;
        for (EmbeddedRedis node : nodes) {
            Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(node.url()));
            nodeClients.add(client);
            nodeStreams.add(new RedisStreams(client, Duration.ofSeconds(5)));
        }
    }

    /** Starts {@code primaries} nodes, splits the slots evenly between them and waits until the cluster is ok. */
    public static EmbeddedRedisCluster start(int primaries) {
        Path dir;
        try {
            dir = Files.createTempDirectory("redis-cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<EmbeddedRedis> nodes = new ArrayList<>();
        List<Integer> busPorts = new ArrayList<>();
        try {
            for (int i = 0; i < primaries; i++) {
                int port = EmbeddedRedis.freePort();
                int busPort = EmbeddedRedis.freePort();
                busPorts.add(busPort);
                Path nodeDir = Files.createDirectories(dir.resolve("node-" + port));
                nodes.add(EmbeddedRedis.start(port, nodeDir, List.of("--cluster-enabled", "yes",
                        "--cluster-config-file", nodeDir.resolve("nodes.conf").toString(),
                        "--cluster-port", Integer.toString(busPort),
                        "--cluster-node-timeout", "5000")));
            }
            EmbeddedRedisCluster cluster = new EmbeddedRedisCluster(nodes, busPorts, dir);
            cluster.form();
            return cluster;
        } catch (IOException | RuntimeException e) {
            nodes.forEach(EmbeddedRedis::stop);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private void form() {
        int size = nodes.size();
        for (int i = 0; i < size; i++) {
            int first = i * SLOTS / size;
            int last = (i + 1) * SLOTS / size - 1;
            nodeStreams.get(i).send(Request.cmd(Command.CLUSTER).arg("ADDSLOTSRANGE").arg(first).arg(last));
        }
        for (int i = 1; i < size; i++) {
            nodeStreams.getFirst().send(Request.cmd(Command.CLUSTER).arg("MEET").arg("127.0.0.1")
                    .arg(nodes.get(i).port()).arg(busPorts.get(i)));
        }
        await("cluster of " + size + " primaries formed").atMost(FORM_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> nodeStreams.stream().allMatch(node -> formed(node, size)));
    }

    private static boolean formed(RedisStreams node, int size) {
        String info = node.send(Request.cmd(Command.CLUSTER).arg("INFO")).toString();
        return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + size)
                && info.contains("cluster_slots_assigned:" + SLOTS)
                && node.send(Request.cmd(Command.CLUSTER).arg("SLOTS")).size() == size;
    }

    /** {@code redis://127.0.0.1:p1,redis://127.0.0.1:p2,…}: the value of {@code quarkus.redis.hosts}. */
    public String hosts() {
        return nodes.stream().map(EmbeddedRedis::url).collect(Collectors.joining(","));
    }

    /** The nodes, in slot order. */
    public List<EmbeddedRedis> nodes() {
        return List.copyOf(nodes);
    }

    /** A cluster-aware client, created on first use, as {@code quarkus.redis.client-type=cluster} makes one. */
    public synchronized RedisStreams streams() {
        if (streams == null) {
            RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER).setMaxPoolSize(16)
                    .setMaxPoolWaiting(256);
            nodes.forEach(node -> options.addConnectionString(node.url()));
            clusterClient = Redis.createClient(vertx, options);
            streams = new RedisStreams(clusterClient, Duration.ofSeconds(5));
        }
        return streams;
    }

    /** A client connected to one node only (for commands about that node). */
    public RedisStreams node(int index) {
        return nodeStreams.get(index);
    }

    /** Empties every node. */
    public void flush() {
        nodeStreams.forEach(node -> node.send(Request.cmd(Command.FLUSHALL)));
    }

    @Override
    public void close() {
        if (clusterClient != null) {
            clusterClient.close();
        }
        nodeClients.forEach(Redis::close);
        vertx.close();
        nodes.forEach(EmbeddedRedis::stop);
        deleteQuietly(dir);
    }

    private static void deleteQuietly(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
