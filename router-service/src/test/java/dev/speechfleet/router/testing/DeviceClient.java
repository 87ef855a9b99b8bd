package dev.speechfleet.router.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A simulated device: a JDK WebSocket client that records every message and the close code. */
public final class DeviceClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final WebSocket socket;
    private final LinkedBlockingQueue<JsonNode> messages;
    private final CompletableFuture<Integer> closeCode;
    private final CompletableFuture<String> closeReason;

    private DeviceClient(WebSocket socket, LinkedBlockingQueue<JsonNode> messages, CompletableFuture<Integer> closeCode,
            CompletableFuture<String> closeReason) {
        this.socket = socket;
        this.messages = messages;
        this.closeCode = closeCode;
        this.closeReason = closeReason;
    }

    /** Connects with {@code Authorization: Bearer token}. */
    public static DeviceClient connect(URI base, String deviceId, String token) {
        return connect(HTTP, base.resolve("/ws/" + deviceId), token);
    }

    /** Connects with {@code ?token=}. */
    public static DeviceClient connectWithQueryToken(URI base, String deviceId, String token) {
        return connect(HTTP, base.resolve("/ws/" + deviceId + "?token=" + token), null);
    }

    /** Connects over a given HTTP client (many devices share one). */
    public static DeviceClient connect(HttpClient http, URI uri, String bearer) {
        return connectAsync(http, uri, bearer).join();
    }

    public static CompletableFuture<DeviceClient> connectAsync(HttpClient http, URI uri, String bearer) {
        LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        CompletableFuture<String> closeReason = new CompletableFuture<>();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        return builder.buildAsync(wsUri(uri), new Listener(messages, closeCode, closeReason))
                .thenApply(ws -> new DeviceClient(ws, messages, closeCode, closeReason));
    }

    private static URI wsUri(URI uri) {
        return URI.create(uri.toString().replaceFirst("^http", "ws"));
    }

    public DeviceClient send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    public DeviceClient send(byte[] pcm) {
        socket.sendBinary(ByteBuffer.wrap(pcm), true).join();
        return this;
    }

    /**
     * Sends one binary message without waiting for it to go out (a message the server may refuse
     * half-way); {@code fragmentBytes} splits it into WebSocket frames of that size, 0 sends one frame.
     */
    public CompletableFuture<WebSocket> sendAsync(byte[] message, int fragmentBytes) {
        if (fragmentBytes <= 0 || fragmentBytes >= message.length) {
            return socket.sendBinary(ByteBuffer.wrap(message), true);
        }
        CompletableFuture<WebSocket> sent = CompletableFuture.completedFuture(socket);
        for (int offset = 0; offset < message.length; offset += fragmentBytes) {
            int from = offset;
            int to = Math.min(message.length, offset + fragmentBytes);
            sent = sent.thenCompose(ws -> ws.sendBinary(ByteBuffer.wrap(message, from, to - from), to == message.length));
        }
        return sent;
    }

    /** Sends PCM in frames of {@code frameMs} (16-bit mono at {@code sampleRate}), at once. */
    public DeviceClient sendFrames(byte[] pcm, int sampleRate, int frameMs) {
        int frameBytes = sampleRate * frameMs / 1000 * 2;
        for (int offset = 0; offset < pcm.length; offset += frameBytes) {
            int end = Math.min(pcm.length, offset + frameBytes);
            byte[] frame = java.util.Arrays.copyOfRange(pcm, offset, end);
            send(frame);
        }
        return this;
    }

    /**
     * Sends PCM in frames until the server closes the socket (a device that keeps streaming into a
     * closing connection); returns how many frames went out.
     */
    public int sendFramesUntilClosed(byte[] pcm, int sampleRate, int frameMs) {
        int frameBytes = sampleRate * frameMs / 1000 * 2;
        int sent = 0;
        for (int offset = 0; offset < pcm.length && !closeCode.isDone(); offset += frameBytes) {
            try {
                send(java.util.Arrays.copyOfRange(pcm, offset, Math.min(pcm.length, offset + frameBytes)));
                sent++;
            } catch (java.util.concurrent.CompletionException e) {
                break;
            }
        }
        return sent;
    }

    /** The next message, failing the test after {@code timeout}. */
    public JsonNode next(Duration timeout) {
        try {
            JsonNode message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(message).as("a message within " + timeout).isNotNull();
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next message, which must have {@code type}. */
    public JsonNode expect(String type, Duration timeout) {
        JsonNode message = next(timeout);
        assertThat(message.path("type").asText()).as("type of " + message).isEqualTo(type);
        return message;
    }

    private final List<JsonNode> seen = new ArrayList<>();

    /** Every message received so far (taken ones included once taken through this method). */
    public synchronized List<JsonNode> received() {
        messages.drainTo(seen);
        return List.copyOf(seen);
    }

    /** Messages received so far and not yet taken. */
    public List<JsonNode> drain() {
        List<JsonNode> out = new ArrayList<>();
        messages.drainTo(out);
        return out;
    }

    /** The close code the server sent, failing after {@code timeout}. */
    public int awaitClose(Duration timeout) {
        return closeCode.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** The reason of the server's close frame, failing after {@code timeout}. */
    public String awaitCloseReason(Duration timeout) {
        return closeReason.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    /** Drops the connection without a close handshake (a device losing its network). */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }

    private static final class Listener implements WebSocket.Listener {

        private final LinkedBlockingQueue<JsonNode> messages;
        private final CompletableFuture<Integer> closeCode;
        private final CompletableFuture<String> closeReason;
        private final StringBuilder parts = new StringBuilder();

        Listener(LinkedBlockingQueue<JsonNode> messages, CompletableFuture<Integer> closeCode,
                CompletableFuture<String> closeReason) {
            this.messages = messages;
            this.closeCode = closeCode;
            this.closeReason = closeReason;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            parts.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(parts.toString()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } finally {
                    parts.setLength(0);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason.complete(reason);
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeReason.complete("");
            closeCode.complete(-1);
        }
    }
}
