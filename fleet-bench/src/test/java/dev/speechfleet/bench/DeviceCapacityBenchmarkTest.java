package dev.speechfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.client.DeviceReport;
import dev.speechfleet.client.PcmAudio;
import dev.speechfleet.router.vad.VadSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 3, device capacity: N devices stream speech with pauses in real time (frames of 20, 40 or
 * 60 ms, utterances of 0.8 to 1.5 s between pauses of 0.7 to 1.3 s) through one router, starting
 * spread over 5 s or all at once, with the instant provider answering at once or after 300 ms (a
 * cloud API's latency). Overhead of an utterance: from the moment the router can cut it (the device
 * sent the frame that completes the VAD's hangover after its last speech) to its transcript on the
 * socket, minus the provider's latency. A level is sustained when overhead p99 is under 50 ms and
 * nothing is lost. Memory per session: the router's heap after full collections (and its RSS) with
 * N sessions streaming, against none.
 *
 * <p>{@code ./mvnw -B -pl fleet-bench -am verify -Pslow -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest=DeviceCapacityBenchmarkTest} ({@code -Dbench.levels=250,500,1000}, {@code -Dbench.latencies=0,300},
 * {@code -Dbench.starts=spread,together}, {@code -Dbench.runs}, {@code -Dbench.audio-s}).
 */
@Tag("slow")
class DeviceCapacityBenchmarkTest {

    private static final String LEVELS = System.getProperty("bench.levels", "250,500,1000");
    private static final String LATENCIES = System.getProperty("bench.latencies", "0,300");
    private static final String STARTS = System.getProperty("bench.starts", "spread,together");
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final int AUDIO_S = Integer.getInteger("bench.audio-s", 30);
    private static final int SPREAD_MS = 5000;
    private static final int[] FRAMES = {20, 40, 60};
    private static final VadSettings VAD = VadSettings.defaults();
    private static final PcmAudio[] SPEECH = new PcmAudio[16];

    static {
        for (int v = 0; v < SPEECH.length; v++) {
            SPEECH[v] = BenchAudio.speechWithPauses(v, AUDIO_S * 1000L);
        }
    }

    @Test
    void devicesOneRouterSustains() throws Exception {
        BenchReport report = new BenchReport("device-capacity");
        report.line("devices stream %d s of speech with pauses in real time, frames 20/40/60 ms; overhead = cut"
                + " moment to transcript on the socket minus provider latency; 1 router, 1 worker, 1 aggregator",
                AUDIO_S);
        for (String latencyText : LATENCIES.split(",")) {
            int latencyMs = Integer.parseInt(latencyText.strip());
            // A worker needs about rate x latency calls in flight: 256 covers 1,000 devices at 300 ms.
            int concurrency = latencyMs == 0 ? 16 : 256;
            try (BenchFleet fleet = BenchFleet.start(BenchFleet.Setup.instant()
                    .withLatency(Duration.ofMillis(latencyMs)).withConcurrency(concurrency))) {
                run(fleet, "warm", 100, false, latencyMs);
                for (String levelText : LEVELS.split(",")) {
                    int devices = Integer.parseInt(levelText.strip());
                    for (String start : STARTS.split(",")) {
                        measure(report, fleet, devices, "together".equals(start.strip()), latencyMs, concurrency);
                    }
                }
            }
        }
    }

    private static void measure(BenchReport report, BenchFleet fleet, int devices, boolean together, int latencyMs,
            int concurrency) throws Exception {
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        long lost = 0;
        for (int r = 1; r <= RUNS; r++) {
            Run run = run(fleet, "cap" + devices + (together ? "t" : "s") + r, devices, together, latencyMs);
            report.line("%d devices, provider %d ms (concurrency %d), %s, run %d: overhead p50 %.1f ms, p95 %.1f ms,"
                    + " p99 %.1f ms, max %.1f ms over %d utterances; %s; load %.1f→%.1f", devices, latencyMs,
                    concurrency, together ? "all at once" : "spread over 5 s", r, Stats.percentile(run.overheads, 50),
                    Stats.percentile(run.overheads, 95), Stats.percentile(run.overheads, 99), Stats.max(run.overheads),
                    run.overheads.length, run.delivery, run.loadBefore, run.loadAfter);
            p50.add(Stats.percentile(run.overheads, 50));
            p99.add(Stats.percentile(run.overheads, 99));
            lost += run.delivery.lost();
        }
        report.line("%d devices, provider %d ms, %s (ms, min / median / max of %d runs): p50 %s, p99 %s; lost %d;"
                + " sustained (p99 < 50 ms, nothing lost): %s", devices, latencyMs, together ? "all at once"
                : "spread", RUNS, Stats.spread(p50, 1), Stats.spread(p99, 1), lost,
                Stats.median(p99) < 50 && lost == 0 ? "yes" : "no");
        assertThat(lost).as("utterances lost with %d devices", devices).isZero();
    }

    private record Run(double[] overheads, Delivery delivery, double loadBefore, double loadAfter) {
    }

    private static Run run(BenchFleet fleet, String name, int devices, boolean together, int latencyMs)
            throws Exception {
        double loadBefore = Stats.load();
        DeviceLoad load = DeviceLoad.prepare(fleet, name, devices, i -> SPEECH[i % SPEECH.length],
                i -> FRAMES[i % FRAMES.length], Duration.ofMinutes(2));
        load.start(i -> together ? 0 : (long) i * SPREAD_MS / devices);
        List<DeviceReport> reports = load.await(Duration.ofSeconds(AUDIO_S + 300));
        load.close();
        double loadAfter = Stats.load();
        List<Double> overheads = new ArrayList<>();
        for (DeviceLoad.Device device : load.devices()) {
            for (DeviceLoad.Arrival arrival : device.arrivals.values()) {
                if (!arrival.ok()) {
                    continue;
                }
                long cutMs = arrival.endMs() - VAD.tailMs() + VAD.hangoverMs();
                long sent = device.run.sentNanosAt(cutMs);
                if (sent > 0) {
                    overheads.add(Stats.ms(arrival.receivedNanos() - sent) - latencyMs);
                }
            }
        }
        load.notes().stream().limit(20).forEach(n -> System.out.println("[bench] device: " + n));
        // Devices retry as real ones do (a shed upgrade, no ready in time): how often they had to.
        long retried = load.notes().stream().filter(n -> n.contains("no session yet")).count();
        System.out.println("[bench] " + name + ": " + retried + " first connections retried, "
                + load.notes().stream().filter(n -> n.contains("session resumed")).count() + " sessions resumed");
        return new Run(overheads.stream().mapToDouble(Double::doubleValue).toArray(),
                Delivery.of(reports, fleet.streams()), loadBefore, loadAfter);
    }

    /** The classes whose live bytes grew most with the sessions, per session: where a session's memory goes. */
    private static void perClass(BenchReport report, Map<String, Long> idle, Map<String, Long> busy, int sessions) {
        long total = 0;
        List<Map.Entry<String, Long>> grown = new ArrayList<>();
        for (Map.Entry<String, Long> entry : busy.entrySet()) {
            long delta = entry.getValue() - idle.getOrDefault(entry.getKey(), 0L);
            total += delta;
            grown.add(Map.entry(entry.getKey(), delta));
        }
        grown.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        report.line("  live objects grew by %.1f KiB per session (class histograms); the largest shares:",
                total / 1024.0 / sessions);
        for (Map.Entry<String, Long> entry : grown.subList(0, Math.min(15, grown.size()))) {
            report.line("    %-70s %8.1f KiB per session", entry.getKey(), entry.getValue() / 1024.0 / sessions);
        }
    }

    @Test
    void memoryPerSession() throws Exception {
        int devices = Integer.getInteger("bench.memory-devices", 1000);
        BenchReport report = new BenchReport("memory-per-session");
        try (BenchFleet fleet = BenchFleet.start(BenchFleet.Setup.instant())) {
            run(fleet, "memwarm", 50, false, 0);
            List<Double> heapPerSession = new ArrayList<>();
            List<Double> rssPerSession = new ArrayList<>();
            for (int r = 1; r <= RUNS; r++) {
                BenchFleet.Memory idle = fleet.routerMemory();
                Map<String, Long> idleClasses = fleet.routerHistogram();
                DeviceLoad load = DeviceLoad.prepare(fleet, "mem" + r, devices, i -> SPEECH[i % SPEECH.length],
                        i -> FRAMES[i % FRAMES.length], Duration.ofMinutes(2));
                load.start(i -> (long) i * SPREAD_MS / devices);
                await(devices + " sessions").atMost(Duration.ofMinutes(2)).until(() -> fleet.openSessions() >= devices);
                // Mid-speech: segmenters hold utterances in progress, outboxes and send queues are in use.
                TimeUnit.SECONDS.sleep(AUDIO_S / 3);
                BenchFleet.Memory busy = fleet.routerMemory();
                Map<String, Long> busyClasses = fleet.routerHistogram();
                List<DeviceReport> reports = load.await(Duration.ofSeconds(AUDIO_S + 300));
                load.close();
                double heap = (busy.heapUsed() - idle.heapUsed()) / (double) busy.sessions() / 1024;
                double rss = (busy.rssKib() - idle.rssKib()) / (double) busy.sessions();
                report.line("run %d: %d sessions: heap %.1f KiB per session (%d → %d bytes), RSS %.1f KiB per session"
                        + " (%d → %d KiB), direct buffers %d → %d bytes; %s", r, busy.sessions(), heap, idle.heapUsed(),
                        busy.heapUsed(), rss, idle.rssKib(), busy.rssKib(), idle.directUsed(), busy.directUsed(),
                        Delivery.of(reports, fleet.streams()));
                perClass(report, idleClasses, busyClasses, busy.sessions());
                heapPerSession.add(heap);
                rssPerSession.add(rss);
            }
            report.line("memory per session (KiB, min / median / max of %d runs): heap %s, RSS %s (target < 64 KiB)",
                    RUNS, Stats.spread(heapPerSession, 1), Stats.spread(rssPerSession, 1));
        }
    }
}
