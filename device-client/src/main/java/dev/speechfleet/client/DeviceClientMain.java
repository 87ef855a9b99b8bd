package dev.speechfleet.client;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code device-client}: streams a WAV file (or generated speech) to the router as one or many
 * devices and prints every transcript with its latency; exits non-zero when a device did not get
 * every result, in order, with a normal close.
 */
public final class DeviceClientMain {

    static final String USAGE = """
            usage: device-client --url ws://HOST:PORT (--wav FILE | --say TEXT) [options]
              --device ID          device id (default dev-device)
              --token TOKEN        its token (or create devices with --admin-token)
              --admin-token TOKEN  create the devices through the router's admin API first
              --devices N          simulate N devices at once (ids ID-1 … ID-N; needs --admin-token)
              --speed X            1 = real time (default), 2 = twice as fast, 0 = as fast as possible
              --frame-ms N         audio per frame, 20 to 100 (default 40)
              --language L         default en
              --policy P           latency | accuracy | cost | queue | balanced
              --consensus A,B      combine these providers
              --keyterms "A,B C"   key terms the providers should expect (comma list)
              --drop-after-seq N   drop the socket after result N arrives, then resume the session
              --wait SECONDS       wait this long for the last results after stop (default 60)
            """;

    private DeviceClientMain() {
    }

    public static void main(String[] args) {
        try {
            System.exit(run(args, System.out));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        } catch (IOException e) {
            System.err.println("device-client: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(130);
        }
    }

    /** The closing line for one device's run. */
    public static String summaryOf(DeviceReport report) {
        return Summary.of(report);
    }

    /** Runs the devices the arguments describe; returns the exit code. */
    public static int run(String[] args, PrintStream out) throws IOException, InterruptedException {
        Arguments a = Arguments.parse(args);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        PcmAudio audio = a.wav != null ? PcmAudio.readWav(a.wav) : SpeechSynth.say(a.say, a.language);
        out.printf(Locale.ROOT, "streaming %.1f s of audio as %d device(s) to %s%n", audio.durationMs() / 1000.0,
                a.devices, a.url);
        DeviceOptions template = new DeviceOptions(a.url, a.device, a.token, audio, a.speed, a.frameMs, a.language,
                a.policy, a.consensus, a.dropAfterSeq, a.wait).withKeyterms(a.keyterms);
        List<DeviceOptions> devices = devices(template, a, http);
        List<DeviceReport> reports = runAll(devices, http, out);
        reports.forEach(r -> out.println(Summary.of(r)));
        if (reports.size() > 1) {
            out.println(Summary.fleet(reports));
        }
        return reports.stream().allMatch(DeviceReport::healthy) ? 0 : 1;
    }

    private static List<DeviceOptions> devices(DeviceOptions template, Arguments a, HttpClient http)
            throws IOException, InterruptedException {
        if (a.adminToken == null) {
            if (a.devices > 1 || a.token == null) {
                throw new IllegalArgumentException("give --token for one device, or --admin-token to create devices");
            }
            return List.of(template);
        }
        URI httpBase = URI.create(a.url.toString().replaceFirst("^ws", "http"));
        AdminApi admin = new AdminApi(http, httpBase, a.adminToken);
        List<DeviceOptions> devices = new ArrayList<>();
        for (int i = 1; i <= a.devices; i++) {
            String id = a.devices == 1 ? a.device : a.device + "-" + i;
            devices.add(template.withDevice(id, admin.createDevice(id)));
        }
        return devices;
    }

    static List<DeviceReport> runAll(List<DeviceOptions> devices, HttpClient http, PrintStream out)
            throws InterruptedException, IOException {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<DeviceReport>> running = new ArrayList<>();
            for (DeviceOptions device : devices) {
                running.add(pool.submit(() -> new DeviceRun(device, http, line -> {
                    synchronized (out) {
                        out.println(line);
                    }
                }).run()));
            }
            List<DeviceReport> reports = new ArrayList<>();
            for (Future<DeviceReport> f : running) {
                try {
                    reports.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    throw new IOException(cause.getMessage() != null ? cause.getMessage() : cause.toString(), cause);
                }
            }
            return reports;
        }
    }

    /** The command line. */
    static final class Arguments {
        URI url;
        Path wav;
        String say;
        String device = "dev-device";
        String token;
        String adminToken;
        int devices = 1;
        double speed = 1;
        int frameMs = 40;
        String language = "en";
        String policy;
        List<String> consensus = List.of();
        List<String> keyterms = List.of();
        long dropAfterSeq = -1;
        Duration wait = Duration.ofSeconds(60);

        static Arguments parse(String[] args) {
            Arguments a = new Arguments();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + name);
                }
                String value = args[++i];
                switch (name) {
                    case "--url" -> a.url = URI.create(value);
                    case "--wav" -> a.wav = Path.of(value);
                    case "--say" -> a.say = value;
                    case "--device" -> a.device = value;
                    case "--token" -> a.token = value;
                    case "--admin-token" -> a.adminToken = value;
                    case "--devices" -> a.devices = Integer.parseInt(value);
                    case "--speed" -> a.speed = Double.parseDouble(value);
                    case "--frame-ms" -> a.frameMs = Integer.parseInt(value);
                    case "--language" -> a.language = value;
                    case "--policy" -> a.policy = value;
                    case "--consensus" -> a.consensus = Arrays.stream(value.split(",")).map(String::trim).toList();
                    case "--keyterms" -> a.keyterms = Arrays.stream(value.split(",")).map(String::strip)
                            .filter(t -> !t.isEmpty()).toList();
                    case "--drop-after-seq" -> a.dropAfterSeq = Long.parseLong(value);
                    case "--wait" -> a.wait = Duration.ofSeconds(Long.parseLong(value));
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (a.url == null || (a.wav == null) == (a.say == null)) {
                throw new IllegalArgumentException("give --url and exactly one of --wav and --say");
            }
            if (a.devices < 1) {
                throw new IllegalArgumentException("--devices must be at least 1");
            }
            return a;
        }
    }
}
