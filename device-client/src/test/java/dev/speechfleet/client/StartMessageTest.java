package dev.speechfleet.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartMessageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void keytermsGivenOnTheCommandLineGoIntoTheStart() throws Exception {
        DeviceClientMain.Arguments a = DeviceClientMain.Arguments.parse(new String[] {"--url", "ws://127.0.0.1:1",
            "--say", "hello", "--keyterms", "Kitchen, Hue lights ,"});

        JsonNode start = JSON.readTree(run(a.keyterms).startMessage(null, -1, -1));

        assertThat(a.keyterms).containsExactly("Kitchen", "Hue lights");
        assertThat(start.path("keyterms")).hasSize(2);
        assertThat(start.path("keyterms").get(1).asText()).isEqualTo("Hue lights");
    }

    @Test
    void withoutKeytermsTheStartHasNoSuchField() throws Exception {
        assertThat(JSON.readTree(run(List.of()).startMessage(null, -1, -1)).has("keyterms")).isFalse();
    }

    private static DeviceRun run(List<String> keyterms) {
        DeviceOptions options = new DeviceOptions(URI.create("ws://127.0.0.1:1"), "d", "t",
                new PcmAudio(new byte[320], 16000), 1, 40, "en", null, List.of(), -1, Duration.ofSeconds(1))
                .withKeyterms(keyterms);
        return new DeviceRun(options, null, line -> { });
    }
}
