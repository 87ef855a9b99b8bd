package dev.speechfleet.bench;

import dev.speechfleet.client.DeviceOptions;
import dev.speechfleet.client.DeviceReport;
import dev.speechfleet.client.DeviceRun;
import dev.speechfleet.client.PcmAudio;
import dev.speechfleet.client.ServerMessage;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;
import java.util.function.IntUnaryOperator;

/**
 * The load: devices of the project's device client ({@link DeviceRun}), each its own WebSocket to the
 * router, on virtual threads of this JVM, recording when every result arrived. Sockets are spread
 * over several HTTP clients so that one selector thread is not what limits the load.
 */
final class DeviceLoad implements AutoCloseable {

    private static final int SOCKETS_PER_CLIENT = 100;

    /** A result as a device received it; {@code endMs} is the transcript's end, -1 for an error. */
    record Arrival(long seq, long receivedNanos, long endMs, boolean ok) {
    }

    /** One device of the load. */
    static final class Device {
        final String id;
        final DeviceRun run;
        final Map<Long, Arrival> arrivals = new ConcurrentHashMap<>();
        CompletableFuture<DeviceReport> report;

        Device(String id, DeviceRun run) {
            this.id = id;
            this.run = run;
        }
    }

    private final List<Device> devices = new ArrayList<>();
    private final List<String> notes = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * Registers {@code count} devices with the router's admin API (once per fleet) and prepares their runs: device
     * {@code i} says {@code audio(i)} in frames of {@code frameMs(i)} at real-time pace. A device that
     * loses its socket does not resume: a loss must show.
     */
    static DeviceLoad prepare(BenchFleet fleet, String prefix, int count, IntFunction<PcmAudio> audio,
            IntUnaryOperator frameMs, Duration resultWait) throws Exception {
        DeviceLoad load = new DeviceLoad();
        List<CompletableFuture<String>> tokens = new ArrayList<>();
        try (ExecutorService registering = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < count; i++) {
                String id = prefix + "-" + i;
                tokens.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return fleet.token(id);
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot register " + id, e);
                    }
                }, registering));
            }
        }
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % SOCKETS_PER_CLIENT == 0) {
                clients.add(HttpClient.newHttpClient());
            }
            String id = prefix + "-" + i;
            DeviceOptions options = new DeviceOptions(fleet.deviceUri(), id, tokens.get(i).join(), audio.apply(i), 1.0,
                    frameMs.applyAsInt(i), "en", null, List.of(), -1, resultWait, DeviceOptions.DEFAULT_RECONNECT_FOR,
                    DeviceOptions.DEFAULT_KEEP_AUDIO, List.of());
            DeviceRun run = new DeviceRun(options, clients.getLast(), line -> {
                if (!line.contains(" #")) {
                    load.notes.add(line);
                }
            });
            Device device = new Device(id, run);
            run.onResult((seq, message, nanos) -> device.arrivals.put(seq, arrival(seq, message, nanos)));
            load.devices.add(device);
        }
        return load;
    }

    private static Arrival arrival(long seq, ServerMessage message, long nanos) {
        return message instanceof ServerMessage.Transcript t ? new Arrival(seq, nanos, t.endMs(), true)
                : new Arrival(seq, nanos, -1, false);
    }

    /** Starts every device, device {@code i} after {@code startDelayMs(i)}. */
    void start(IntToLongFunction startDelayMs) {
        for (int i = 0; i < devices.size(); i++) {
            Device device = devices.get(i);
            long delay = startDelayMs.applyAsLong(i);
            device.report = CompletableFuture.supplyAsync(() -> {
                try {
                    TimeUnit.MILLISECONDS.sleep(delay);
                    return device.run.run();
                } catch (Exception e) {
                    throw new IllegalStateException(device.id + " failed: " + e.getMessage(), e);
                }
            }, threads);
        }
    }

    /** Ends every device's audio now: each stops and waits for its last results. */
    void endAudio() {
        devices.forEach(d -> d.run.endAudio());
    }

    /** Every device's report, once all have ended (or fails after {@code timeout}). */
    List<DeviceReport> await(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<DeviceReport> reports = new ArrayList<>();
        for (Device device : devices) {
            reports.add(device.report.orTimeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    .join());
        }
        return reports;
    }

    List<Device> devices() {
        return devices;
    }

    /** What the devices said besides their transcripts (errors, closes). */
    List<String> notes() {
        return notes;
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
