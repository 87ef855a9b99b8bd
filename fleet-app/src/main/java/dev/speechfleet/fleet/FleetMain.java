package dev.speechfleet.fleet;

import dev.speechfleet.client.DeviceOptions;
import dev.speechfleet.client.DeviceReport;
import dev.speechfleet.client.DeviceRun;
import dev.speechfleet.client.PcmAudio;
import dev.speechfleet.client.SampleSpeech;
import dev.speechfleet.client.SpeechSynth;
import dev.speechfleet.router.admin.AdminDtos;
import dev.speechfleet.router.admin.AdminException;
import dev.speechfleet.router.admin.DeviceAdmin;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code fleet}: the whole fleet in one process. Decides the providers before Quarkus starts, then
 * runs router, aggregator and workers; it streams audio (the bundled sample unless told otherwise)
 * as a device and exits with its outcome, or with {@code --serve} runs until stopped.
 */
@QuarkusMain
public class FleetMain implements QuarkusApplication {

    static final String DEV_DEVICE = "dev-device";

    @Inject
    DeviceAdmin devices;

    @ConfigProperty(name = "quarkus.http.port")
    int port;

    @ConfigProperty(name = "fleet.worker.providers")
    List<String> providers;

    private static FleetOptions options;

    public static void main(String... args) {
        try {
            options = FleetOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.print((e.getMessage().isEmpty() ? "" : e.getMessage() + "\n") + FleetOptions.USAGE);
            System.exit(2);
        }
        if (options.say() != null) {
            SpeechSynth.whatToInstall(System.getenv("PATH")).ifPresent(problem -> {
                System.err.println("fleet: --say: " + problem + ".\n  Without --say the fleet streams its bundled"
                        + " sample recording, and --wav FILE streams a recording of your own.");
                System.exit(2);
            });
        }
        System.out.println("speech fleet: choosing providers");
        ProviderPlan plan = ProviderPlan.decide(options);
        plan.print(System.out);
        if (plan.providers().isEmpty()) {
            System.err.println(ProviderPlan.nothingAvailable());
            System.exit(3);
        }
        plan.properties().forEach(System::setProperty);
        System.setProperty("router.admin.token", randomToken());
        Quarkus.run(FleetMain.class, args);
    }

    @Override
    public int run(String... args) throws Exception {
        String token = devToken();
        URI server = URI.create("ws://127.0.0.1:" + port);
        System.out.printf(Locale.ROOT, "%nspeech fleet ready, serving %s%n  devices connect to %s/ws/{device_id}%n"
                + "  development device: %s, token %s%n", String.join(", ", providers), server, DEV_DEVICE, token);
        if (!options.streamsAudio()) {
            System.out.println("  press Ctrl-C to stop");
            Quarkus.waitForExit();
            return 0;
        }
        return stream(server, token);
    }

    private int stream(URI server, String token) throws IOException, InterruptedException {
        PcmAudio audio;
        String what;
        if (options.wav() != null) {
            audio = PcmAudio.readWav(options.wav());
            what = options.wav().toString();
        } else if (options.say() != null) {
            audio = SpeechSynth.say(options.say(), "en");
            what = "your sentences, spoken by espeak-ng";
        } else {
            audio = SampleSpeech.recording();
            what = "the sample recording: \"" + String.join("\", \"", SampleSpeech.sentences()) + "\"";
        }
        System.out.printf(Locale.ROOT, "%nstreaming %.1f s of audio as %s: %s%n", audio.durationMs() / 1000.0,
                DEV_DEVICE, what);
        DeviceOptions device = new DeviceOptions(server, DEV_DEVICE, token, audio, options.speed(), 40, "en", null,
                List.of(), -1, Duration.ofSeconds(120));
        DeviceReport report = new DeviceRun(device, HttpClient.newHttpClient(), System.out::println)
                .withProgress(FleetMain::progress).run();
        System.out.println(dev.speechfleet.client.DeviceClientMain.summaryOf(report));
        if (report.transcripts() > 0 && report.emptyTranscripts() == report.transcripts()) {
            System.out.println(nothingRecognised(report));
        }
        boolean ok = report.healthy();
        System.out.println(ok ? "done" : "FAILED: not every utterance got its result in order");
        return ok ? 0 : 1;
    }

    /** Says plainly that the run worked but no words came back, and why that usually is. */
    private String nothingRecognised(DeviceReport report) {
        String all = "all " + report.transcripts() + " transcript(s) are empty";
        String model = System.getProperty("whisper.model.path");
        if (providers.equals(List.of("whisper")) && model != null) {
            return "the model recognised nothing: " + all + " (whisper, model " + Path.of(model).getFileName()
                    + ").\nA model without weights, such as the test model for-tests-ggml-tiny.en.bin, never"
                    + " recognises anything; a real one does: --model tiny.en (downloaded once).";
        }
        return "the providers recognised nothing: " + all + " (" + String.join(", ", providers) + ").";
    }

    private static void progress(long sentMs, long totalMs) {
        System.err.printf(Locale.ROOT, "sending audio: %.1f of %.1f s%n", sentMs / 1000.0, totalMs / 1000.0);
    }

    /** The development device's token: created, or re-issued when the device exists from an earlier run. */
    private String devToken() {
        try {
            return devices.create(new AdminDtos.CreateDevice(DEV_DEVICE, null)).token();
        } catch (AdminException exists) {
            return devices.rotate(DEV_DEVICE).token();
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
