package dev.speechfleet.bench;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.redis.StreamInfo;
import dev.speechfleet.core.stream.StreamKeys;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 4's run: utterances injected at a steady rate while one of two workers is SIGKILLed (at
 * the given time, or as soon after as it holds entries). The entries it held at that moment are read from the group's pending list; recovery is the time from
 * the kill until the last of them has its transcript on its device's socket.
 *
 * @param result      the injection run
 * @param held        chunks the killed worker held (read, unacknowledged) when it died, as "session seq"
 * @param recoveredMs kill to the last of those results at a device; -1 when one never arrived
 */
record RecoveryRun(InjectionRun.Result result, List<String> held, double recoveredMs) {

    static RecoveryRun run(BenchFleet fleet, String name, int devices, double rate, Duration length, Duration killAt,
            String victim) throws Exception {
        int count = (int) (rate * length.toMillis() / 1000);
        InjectionRun run = InjectionRun.open(fleet, name, devices).inject(count, rate, BenchAudio.utterance(100));
        TimeUnit.MILLISECONDS.sleep(killAt.toMillis());
        // Killed while it holds entries, so that there is something to recover.
        await(victim + " holding entries").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                .until(() -> !heldBy(fleet.streams(), fleet.setup().provider(), victim).isEmpty());
        fleet.process(victim).kill();
        long killedNanos = System.nanoTime();
        List<String> held = heldBy(fleet.streams(), fleet.setup().provider(), victim);
        InjectionRun.Result result = run.finish(length.plusSeconds(120));
        long last = -1;
        for (String chunk : held) {
            DeviceLoad.Arrival arrival = result.arrivals().get(chunk);
            if (arrival == null) {
                return new RecoveryRun(result, held, -1);
            }
            last = Math.max(last, arrival.receivedNanos());
        }
        return new RecoveryRun(result, held, held.isEmpty() ? 0 : Stats.ms(last - killedNanos));
    }

    /** The chunks {@code consumer} holds in the provider's group, as "session seq". */
    private static List<String> heldBy(RedisStreams redis, String provider, String consumer) {
        String stream = StreamKeys.audioStream(provider);
        List<String> chunks = new ArrayList<>();
        for (StreamInfo.Pending pending : redis.pending(stream, StreamKeys.workerGroup(provider), "-", "+", 100_000,
                consumer)) {
            for (StreamEntry entry : redis.range(stream, pending.id(), pending.id(), 1)) {
                chunks.add(entry.fields().string("session_id", "?") + " " + entry.fields().string("seq", "?"));
            }
        }
        return chunks;
    }
}
