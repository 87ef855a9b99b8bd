package dev.speechfleet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A device's first connection meets the faults its later ones do: a router that is down (restarting,
 * SIGKILLed) is tried again with backoff for the reconnect time, and only then is the run given up.
 */
class FirstConnectionTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aRouterThatIsDownIsTriedAgainForTheReconnectTime() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        // Long enough for two failed attempts even when the first one meets a cold client on a loaded machine.
        Duration reconnectFor = Duration.ofSeconds(3);
        DeviceRun run = new DeviceRun(options(closedPort(), reconnectFor), HTTP, lines::add);
        long started = System.nanoTime();

        assertThatThrownBy(run::run).isInstanceOf(IOException.class).hasMessageContaining("cannot open");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(reconnectFor);
        assertThat(lines).filteredOn(l -> l.contains("no session yet")).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void withoutAReconnectTimeTheFirstFailureEndsTheRun() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        DeviceRun run = new DeviceRun(options(closedPort(), Duration.ZERO), HTTP, lines::add);

        assertThatThrownBy(run::run).isInstanceOf(IOException.class).hasMessageContaining("cannot open");

        assertThat(lines).noneMatch(l -> l.contains("no session yet"));
    }

    private static DeviceOptions options(int port, Duration reconnectFor) {
        return new DeviceOptions(URI.create("ws://127.0.0.1:" + port), "d1", "t", new PcmAudio(new byte[3200], 16000),
                0, 20, "en", null, List.of(), -1, Duration.ofSeconds(1))
                .withRecovery(reconnectFor, DeviceOptions.DEFAULT_KEEP_AUDIO);
    }

    /** A port nothing listens on: bound once for a free number, then closed. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
