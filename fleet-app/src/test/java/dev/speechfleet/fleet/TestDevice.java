package dev.speechfleet.fleet;

import dev.speechfleet.client.AdminApi;
import dev.speechfleet.client.DeviceOptions;
import dev.speechfleet.client.DeviceReport;
import dev.speechfleet.client.DeviceRun;
import dev.speechfleet.client.SampleSpeech;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

/** A device registered through the admin API that streams the bundled sample recording through the fleet. */
final class TestDevice {

    private TestDevice() {
    }

    static DeviceReport streamSample(URL fleet, String deviceId) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + fleet.getPort());
        String token = new AdminApi(http, base, ParakeetMock.ADMIN_TOKEN).createDevice(deviceId);
        DeviceOptions options = new DeviceOptions(URI.create("ws://127.0.0.1:" + fleet.getPort()), deviceId, token,
                SampleSpeech.recording(), 1.0, 40, "en", null, List.of(), -1, Duration.ofSeconds(30));
        return new DeviceRun(options, http, System.out::println).run();
    }
}
