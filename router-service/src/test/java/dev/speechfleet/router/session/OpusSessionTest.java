package dev.speechfleet.router.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.core.testing.ScriptedProvider;
import dev.speechfleet.router.routing.LiveFigures;
import dev.speechfleet.router.testing.Admin;
import dev.speechfleet.client.DeviceConnection;
import dev.speechfleet.router.testing.Examples;
import dev.speechfleet.router.testing.OpusPackets;
import dev.speechfleet.client.Pcm;
import dev.speechfleet.router.testing.Redis;
import dev.speechfleet.client.SpeechLike;
import dev.speechfleet.router.testing.TestPipeline;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Opus sessions end to end through the socket: the router decodes the packets and cuts the same
 * utterances as from the PCM they were encoded from; lost packets keep the clock; corrupt packets
 * are reported and the session goes on. Prints the bytes per second each encoding costs on the socket.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class OpusSessionTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int RATE = 16000;
    /** One VAD frame and a bit: the codec's delay and its reshaping of the edges move a boundary by at most this. */
    private static final long TOLERANCE_MS = 40;
    private static final SpeechLike.Clip CLIP = SpeechLike.clip(RATE, new int[] {3, 6, 2}, 900, 42);
    private static final AtomicInteger DEVICES = new AtomicInteger();

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    LiveFigures figures;

    private TestPipeline pipeline;

    @BeforeEach
    void startFleet() {
        Redis.flush(redis);
        pipeline = new TestPipeline(redis, new ScriptedProvider("whisper"));
        await().atMost(WAIT).until(() -> figures.refresh().of("whisper").routable());
    }

    @AfterEach
    void stopFleet() {
        pipeline.close();
    }

    /** What one streamed session produced. */
    private record Run(List<AudioChunk> chunks, List<JsonNode> messages, long payloadBytes, long wireBytes) {
    }

    @Test
    void opusAt20_40And60MsCutsTheSameUtterancesAsThePcm() {
        Run pcm = stream("pcm_s16le", pcmFrames(CLIP.pcm(), 20));
        report("pcm_s16le 20 ms", pcm);
        assertThat(pcm.chunks()).as("the PCM is cut where the clip's utterances are").hasSize(CLIP.utterances().size());

        for (int frameMs : new int[] {20, 40, 60}) {
            Run opus = stream("opus", OpusPackets.encode(CLIP.pcm(), RATE, frameMs));
            report("opus " + frameMs + " ms", opus);
            assertSameUtterances(opus.chunks(), pcm.chunks(), "opus " + frameMs + " ms");
            assertThat(opus.wireBytes() * 8).as("Opus costs at most a sixth of the PCM's bytes")
                    .isLessThan(pcm.wireBytes() * 8 / 6);
        }
    }

    @Test
    void theOpusStartExampleStartsASession() {
        try (DeviceConnection device = connect()) {
            JsonNode ready = device.send(Examples.text("start-opus")).expect("ready", WAIT);

            assertThat(ready.path("resumed").asBoolean()).isFalse();
        }
    }

    @Test
    void lostPacketsAreConcealedAndLaterUtterancesKeepTheirPlace() {
        Run pcm = stream("pcm_s16le", pcmFrames(CLIP.pcm(), 20));
        List<byte[]> packets = new ArrayList<>(OpusPackets.encode(CLIP.pcm(), RATE, 20));
        long lostFrom = CLIP.utterances().getFirst().startMs() / 20 + 5;
        for (long i = lostFrom; i < lostFrom + 8; i++) {
            packets.set((int) i, new byte[0]); // the device's send queue dropped 160 ms
        }

        Run opus = stream("opus", packets);

        assertSameUtterances(opus.chunks(), pcm.chunks(), "opus with 160 ms lost");
    }

    @Test
    void aCorruptPacketIsReportedAndTheSessionGoesOn() {
        List<byte[]> packets = new ArrayList<>(OpusPackets.encode(CLIP.pcm(), RATE, 20));
        packets.add(10, new byte[] {(byte) 0x4b});

        Run opus = stream("opus", packets);

        assertThat(opus.messages()).filteredOn(m -> "error".equals(m.path("type").asText()))
                .singleElement().satisfies(e -> {
                    assertThat(e.path("code").asText()).isEqualTo("invalid_packet");
                    assertThat(e.path("message").asText()).isNotBlank();
                });
        assertThat(opus.messages()).filteredOn(m -> "transcript".equals(m.path("type").asText()))
                .hasSize(CLIP.utterances().size());
        assertThat(opus.chunks()).hasSize(CLIP.utterances().size());
    }

    @Test
    void anEncodingOtherThanPcmOrOpusClosesWith4415() {
        try (DeviceConnection device = connect()) {
            device.send("{\"type\":\"start\",\"sample_rate\":16000,\"encoding\":\"flac\"}");

            JsonNode error = device.expect("error", WAIT);
            assertThat(error.path("code").asText()).isEqualTo("unsupported_encoding");
            assertThat(error.path("message").asText()).contains("opus");
            assertThat(device.awaitClose(WAIT)).isEqualTo(4415);
        }
    }

    private DeviceConnection connect() {
        String deviceId = "opus-" + DEVICES.incrementAndGet();
        return DeviceConnection.connect(base, deviceId, Admin.createDevice(deviceId));
    }

    /** Streams the messages as one session, flushes, waits for every transcript, stops. */
    private Run stream(String encoding, List<byte[]> messages) {
        try (DeviceConnection device = connect()) {
            String start = "{\"type\":\"start\",\"sample_rate\":16000,\"encoding\":\"" + encoding + "\"}";
            String sessionId = device.send(start).expect("ready", WAIT).path("session_id").asText();
            long payload = start.length();
            long wire = wireBytes(start.length());
            for (byte[] message : messages) {
                device.send(message);
                payload += message.length;
                wire += wireBytes(message.length);
            }
            device.send(Examples.text("flush"));
            await().atMost(WAIT).until(() -> device.received().stream()
                    .filter(m -> "transcript".equals(m.path("type").asText())).count() >= CLIP.utterances().size());
            // The provider saw each utterance once (the stream itself is trimmed once entries are acknowledged).
            List<AudioChunk> chunks = new ArrayList<>(pipeline.provider().calls().stream()
                    .filter(c -> c.sessionId().equals(sessionId)).toList());
            chunks.sort(Comparator.comparingLong(AudioChunk::seq));
            return new Run(chunks, device.received(), payload, wire);
        }
    }

    /** A client frame's bytes on the wire: 2 header bytes, the extended length, the 4-byte mask, the payload. */
    private static long wireBytes(int payload) {
        return 2 + (payload > 65535 ? 8 : payload > 125 ? 2 : 0) + 4 + payload;
    }

    private static List<byte[]> pcmFrames(byte[] pcm, int frameMs) {
        int frameBytes = RATE * frameMs / 1000 * 2;
        List<byte[]> frames = new ArrayList<>();
        for (int at = 0; at < pcm.length; at += frameBytes) {
            frames.add(java.util.Arrays.copyOfRange(pcm, at, Math.min(pcm.length, at + frameBytes)));
        }
        return frames;
    }

    private static void assertSameUtterances(List<AudioChunk> actual, List<AudioChunk> pcm, String what) {
        assertThat(actual).as(what + ": utterances").hasSameSizeAs(pcm);
        for (int i = 0; i < pcm.size(); i++) {
            AudioChunk a = actual.get(i);
            AudioChunk p = pcm.get(i);
            System.out.printf(Locale.ROOT, "[opus] %s utterance %d: start %+d ms, end %+d ms from the PCM's%n", what,
                    i, a.startMs() - p.startMs(), a.startMs() + a.durationMs() - p.startMs() - p.durationMs());
            assertThat(Math.abs(a.startMs() - p.startMs())).as("%s: start of utterance %d", what, i)
                    .isLessThanOrEqualTo(TOLERANCE_MS);
            assertThat(Math.abs(a.startMs() + a.durationMs() - p.startMs() - p.durationMs()))
                    .as("%s: end of utterance %d", what, i).isLessThanOrEqualTo(TOLERANCE_MS);
        }
    }

    private static void report(String what, Run run) {
        double seconds = CLIP.durationMs() / 1000.0;
        System.out.printf(Locale.ROOT, "[opus-bench] %-16s %6.1f s of audio: payload %8.0f B/s (%6.1f kbit/s), "
                + "WebSocket frames %8.0f B/s (%6.1f kbit/s)%n", what, seconds, run.payloadBytes() / seconds,
                run.payloadBytes() * 8 / seconds / 1000, run.wireBytes() / seconds, run.wireBytes() * 8 / seconds / 1000);
    }
}
