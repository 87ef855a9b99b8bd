package dev.speechfleet.core.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.stream.EntryFields;
import dev.speechfleet.core.testing.RedisPerClass;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * KEDA scales a provider's workers on its group's lag, and reads a lag Redis cannot compute as idle
 * (ADR 0071). On a real Redis 7: deleting an undelivered entry makes the lag unknown, and trimming past
 * a group's last-delivered-id makes it unknown or wrong; the fleet's trimming
 * ({@link RedisStreams#trimAcknowledged}) never does either, whatever the groups have read,
 * acknowledged or left pending, and while consumers read concurrently.
 */
class LagStaysKnownTest {

    private static final String STREAM = "audio:stream:lagtest";
    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();
    private RedisStreams streams;

    @BeforeEach
    void smallStreamNodes() {
        streams = redis.streams();
        // Small radix-tree nodes, so that approximate trimming (~) removes entries in a stream this short.
        streams.send(Request.cmd(Command.CONFIG).arg("SET").arg("stream-node-max-entries").arg(4));
    }

    @Test
    void deletingAnUndeliveredEntryMakesTheLagUnknown() {
        streams.createGroup(STREAM, "g");
        List<String> ids = add(6);
        read("g", 2);
        assertThat(lag("g")).isEqualTo(4);

        streams.send(Request.cmd(Command.XDEL).arg(STREAM).arg(ids.get(4)));

        assertThat(lag("g")).as("lag after XDEL of an undelivered entry (-1: Redis answers nil)").isEqualTo(-1);
    }

    @Test
    void trimmingPastTheLastDeliveredIdLosesTheLag() {
        streams.createGroup(STREAM, "g");
        List<String> ids = add(12);
        read("g", 2);

        streams.trimBelow(STREAM, ids.get(9), false);

        long lag = lag("g");
        long undelivered = streams.length(STREAM);
        assertThat(lag).as("lag after trimming past last-delivered-id: unknown, or counting entries that are gone")
                .isNotEqualTo(undelivered);
        read("g", 100);
        assertThat(lag("g")).as("lag once the group has read everything left: still not 0").isNotZero();
    }

    @Test
    void theFleetsTrimKeepsEveryGroupsUndeliveredEntriesAndAnExactLag() {
        streams.createGroup(STREAM, "fast");
        streams.createGroup(STREAM, "slow");
        List<String> ids = add(40);
        ackAll("fast", read("fast", 30));
        List<String> slowRead = read("slow", 12);
        ackAll("slow", slowRead.subList(0, 8));

        long trimmed = streams.trimAcknowledged(STREAM);

        assertThat(trimmed).as("entries trimmed below the slow group's oldest pending entry").isPositive();
        assertThat(first()).as("first entry kept").isLessThanOrEqualTo(ids.get(8));
        assertThat(lag("fast")).isEqualTo(10);
        assertThat(lag("slow")).isEqualTo(28);
    }

    @Test
    void randomInterleavingsOfReadsAcksAndTrimsNeverLoseTheLag() {
        Random random = new Random(11);
        List<String> groups = List.of("a", "b", "c");
        groups.forEach(g -> streams.createGroup(STREAM, g));
        int trims = 0;
        long removed = 0;
        for (int round = 0; round < 300; round++) {
            add(1 + random.nextInt(4));
            String group = groups.get(random.nextInt(groups.size()));
            List<String> delivered = read(group, random.nextInt(5));
            ackAll(group, delivered.stream().filter(id -> random.nextInt(4) != 0).toList());
            if (random.nextInt(3) == 0) {
                ackAll(group, pendingIds(group).stream().filter(id -> random.nextInt(2) == 0).toList());
            }
            removed += streams.trimAcknowledged(STREAM);
            trims++;
            for (String g : groups) {
                assertThat(lag(g)).as("lag of %s after round %d", g, round).isEqualTo(undelivered(g));
                for (String pending : pendingIds(g)) {
                    assertThat(streams.range(STREAM, pending, pending, 1)).as("pending %s of %s", pending, g).hasSize(1);
                }
            }
        }
        assertThat(trims).isEqualTo(300);
        assertThat(removed).as("entries the trims removed (the test trims for real)").isGreaterThan(100);
    }

    @Test
    void trimmingWhileConsumersReadConcurrentlyNeverLosesTheLag() throws Exception {
        streams.createGroup(STREAM, "g");
        add(20);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger acknowledged = new AtomicInteger();
        Thread consumer = Thread.ofPlatform().start(() -> {
            try (StreamReader reader = streams.openReader()) {
                while (running.get()) {
                    List<String> ids = reader.readGroup(STREAM, "g", "c1", 3, null, ">").stream()
                            .map(StreamEntry::id).toList();
                    acknowledged.addAndGet((int) streams.ack(STREAM, "g", ids));
                }
            }
        });
        List<Long> unknown = new ArrayList<>();
        try {
            for (int i = 0; i < 400; i++) {
                add(2);
                streams.trimAcknowledged(STREAM);
                long lag = lag("g");
                if (lag < 0) {
                    unknown.add(lag);
                }
            }
        } finally {
            running.set(false);
            consumer.join();
        }
        assertThat(unknown).as("lag readings Redis could not compute").isEmpty();
        assertThat(acknowledged.get()).as("entries the concurrent consumer acknowledged").isGreaterThan(100);
        assertThat(lag("g")).isEqualTo(undelivered("g"));
    }

    private List<String> add(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(streams.add(STREAM, EntryFields.of(Map.of("n", Integer.toString(i).getBytes()))));
        }
        return ids;
    }

    private List<String> read(String group, int count) {
        if (count == 0) {
            return List.of();
        }
        try (StreamReader reader = streams.openReader()) {
            return reader.readGroup(STREAM, group, group + "-consumer", count, null, ">").stream()
                    .map(StreamEntry::id).toList();
        }
    }

    private void ackAll(String group, List<String> ids) {
        streams.ack(STREAM, group, ids);
    }

    private List<String> pendingIds(String group) {
        return streams.pending(STREAM, group, "-", "+", 10_000, null).stream().map(StreamInfo.Pending::id).toList();
    }

    private long lag(String group) {
        return streams.groups(STREAM).stream().filter(g -> g.name().equals(group)).findFirst().orElseThrow().lag();
    }

    /** Entries after the group's last-delivered-id: what its lag must say. */
    private long undelivered(String group) {
        String last = streams.groups(STREAM).stream().filter(g -> g.name().equals(group)).findFirst().orElseThrow()
                .lastDeliveredId();
        return streams.range(STREAM, "(" + last, "+", 100_000).size();
    }

    private String first() {
        return streams.range(STREAM, "-", "+", 1).getFirst().id();
    }
}
