package dev.speechfleet.bench;

import static org.awaitility.Awaitility.await;

import dev.speechfleet.client.DeviceReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One run of a scenario that starts at the router's dispatch: devices open sessions and stream
 * silence (so the VAD cuts nothing), utterances are injected in the router's process, and every
 * result is timed where the device receives it. Open, inject, finish.
 */
final class InjectionRun {

    /** A run's outcome: what was injected, when each result arrived, what reached the devices, what it cost. */
    record Result(List<BenchFleet.Injected> injected, Map<String, DeviceLoad.Arrival> arrivals, Delivery delivery,
            Map<String, Long> commands, Map<String, Long> cpuMillis, double loadBefore, double loadAfter) {

        /** The arrival of an injected utterance's result, or null. */
        DeviceLoad.Arrival arrivalOf(BenchFleet.Injected injected) {
            return arrivals.get(injected.sessionId() + " " + injected.seq());
        }

        List<BenchFleet.Injected> dispatched() {
            return injected.stream().filter(BenchFleet.Injected::dispatched).toList();
        }

        /** Utterances per second from the first dispatch to the last result on a socket. */
        double throughput() {
            long first = injected.stream().mapToLong(BenchFleet.Injected::startedNanos).min().orElseThrow();
            long last = arrivals.values().stream().mapToLong(DeviceLoad.Arrival::receivedNanos).max().orElseThrow();
            return dispatched().size() / ((last - first) / 1e9);
        }

        /** Utterances per second the router dispatched (first dispatch to last). */
        double dispatchRate() {
            long first = injected.stream().mapToLong(BenchFleet.Injected::startedNanos).min().orElseThrow();
            long last = injected.stream().mapToLong(BenchFleet.Injected::dispatchedNanos).max().orElseThrow();
            return dispatched().size() / ((last - first) / 1e9);
        }

        /** Due time to result on the socket, minus {@code providerMs}, per utterance that has a result (ms). */
        double[] overheadsMs(double providerMs) {
            return dispatched().stream().map(i -> {
                DeviceLoad.Arrival a = arrivalOf(i);
                return a == null ? null : Stats.ms(a.receivedNanos() - i.dueNanos()) - providerMs;
            }).filter(v -> v != null).mapToDouble(Double::doubleValue).toArray();
        }

        /** How late each dispatch started against its schedule (ms). */
        double[] lateStartsMs() {
            return injected.stream().mapToDouble(i -> Stats.ms(i.startedNanos() - i.dueNanos())).toArray();
        }

        /** Redis commands per dispatched utterance, by command. */
        Map<String, Double> commandsPerUtterance() {
            Map<String, Double> per = new java.util.TreeMap<>();
            commands.forEach((c, n) -> per.put(c, (double) n / dispatched().size()));
            return per;
        }
    }

    private final BenchFleet fleet;
    private final DeviceLoad load;
    private CompletableFuture<List<BenchFleet.Injected>> injecting;
    private CpuMeter cpu;
    private double loadBefore;

    private InjectionRun(BenchFleet fleet, DeviceLoad load) {
        this.fleet = fleet;
        this.load = load;
    }

    /** Opens {@code devices} sessions that stream silence in 100 ms frames, and waits until all are open. */
    static InjectionRun open(BenchFleet fleet, String prefix, int devices) throws Exception {
        DeviceLoad load = DeviceLoad.prepare(fleet, prefix, devices, i -> SILENCE, i -> 100, Duration.ofMinutes(3));
        load.start(i -> i * 10L);
        await(devices + " sessions open").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> fleet.openSessions() >= devices);
        return new InjectionRun(fleet, load);
    }

    private static final dev.speechfleet.client.PcmAudio SILENCE = BenchAudio.silence(900);

    /** Starts the injection; CPU and Redis command counts are taken from here on. */
    InjectionRun inject(int count, double rate, byte[] pcm) {
        fleet.resetCommandStats();
        cpu = new CpuMeter();
        fleet.processIds().forEach(cpu::add);
        cpu.add("load (devices)", ProcessHandle.current().pid());
        cpu.start();
        loadBefore = Stats.load();
        injecting = CompletableFuture.supplyAsync(() -> {
            try {
                return fleet.inject(count, rate, pcm);
            } catch (Exception e) {
                throw new IllegalStateException("injection failed: " + e.getMessage(), e);
            }
        });
        return this;
    }

    /**
     * Waits for the injection and for a result of every dispatched utterance (up to {@code wait}),
     * then ends the devices' audio and collects what they received.
     */
    Result finish(Duration wait) {
        List<BenchFleet.Injected> injected = injecting.join();
        long dispatched = injected.stream().filter(BenchFleet.Injected::dispatched).count();
        try {
            await("results of " + dispatched + " utterances at the devices").atMost(wait)
                    .pollInterval(Duration.ofMillis(50)).until(() -> arrivedCount() >= dispatched);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.println("[bench] only " + arrivedCount() + " of " + dispatched + " results arrived in " + wait);
        }
        Map<String, Long> cpuMillis = cpu.stop();
        double loadAfter = Stats.load();
        Map<String, Long> commands = fleet.commandCalls();
        load.endAudio();
        List<DeviceReport> reports = load.await(Duration.ofMinutes(3));
        load.close();
        Map<String, String> sessionOf = new HashMap<>();
        reports.forEach(r -> sessionOf.put(r.deviceId(), r.sessionId()));
        Map<String, DeviceLoad.Arrival> arrivals = new HashMap<>();
        for (DeviceLoad.Device device : load.devices()) {
            String session = sessionOf.get(device.id);
            device.arrivals.forEach((seq, arrival) -> arrivals.put(session + " " + seq, arrival));
        }
        load.notes().forEach(n -> System.out.println("[bench] device: " + n));
        return new Result(new ArrayList<>(injected), arrivals, Delivery.of(reports, fleet.streams()), commands,
                cpuMillis, loadBefore, loadAfter);
    }

    private long arrivedCount() {
        return load.devices().stream().mapToLong(d -> d.arrivals.size()).sum();
    }
}
