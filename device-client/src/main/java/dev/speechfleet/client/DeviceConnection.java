package dev.speechfleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket a device opens to the router (protocol v1): the token as {@code Authorization: Bearer}
 * or {@code ?token=}, sends in order, every text message handed to a {@link Reader} (by default kept,
 * parsed, for {@link #next}), and the server's close code and reason. {@link DeviceRun} streams
 * sessions over it; the router's tests drive the protocol message by message with it.
 */
public final class DeviceConnection implements AutoCloseable {

    /** How long opening the socket may take. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** What the device does with each text message the router sends. */
    @FunctionalInterface
    public interface Reader {
        /**
         * Takes one whole message; returns how long the device then stops reading (a wedged device), or
         * {@link Duration#ZERO} to read on.
         */
        Duration received(String text);
    }

    private final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final List<JsonNode> taken = new ArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final CompletableFuture<String> closeReason = new CompletableFuture<>();
    private final Reader reader;
    private volatile WebSocket socket;
    private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);

    private DeviceConnection(Reader reader) {
        this.reader = reader;
    }

    /** Connects to {@code /ws/{deviceId}} of {@code server} with {@code Authorization: Bearer token}. */
    public static DeviceConnection connect(URI server, String deviceId, String token) {
        return connect(HTTP, server.resolve("/ws/" + deviceId), token);
    }

    /** Connects with the token in the query ({@code ?token=}), for clients that cannot set headers. */
    public static DeviceConnection connectWithQueryToken(URI server, String deviceId, String token) {
        return connect(HTTP, server.resolve("/ws/" + deviceId + "?token=" + token), null);
    }

    /** Connects to {@code uri} over {@code http} (many devices share one client); {@code bearer} may be null. */
    public static DeviceConnection connect(HttpClient http, URI uri, String bearer) {
        return connectAsync(http, uri, bearer).join();
    }

    /** Connects without waiting; messages are kept for {@link #next}. */
    public static CompletableFuture<DeviceConnection> connectAsync(HttpClient http, URI uri, String bearer) {
        return connectAsync(http, uri, bearer, null);
    }

    /**
     * Connects without waiting; every text message goes to {@code reader} ({@code null}: kept for
     * {@link #next}).
     */
    public static CompletableFuture<DeviceConnection> connectAsync(HttpClient http, URI uri, String bearer,
            Reader reader) {
        DeviceConnection connection = new DeviceConnection(reader);
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT);
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        return builder.buildAsync(webSocketUri(uri), connection.new Listener()).thenApply(ws -> {
            connection.socket = ws;
            return connection;
        });
    }

    private static URI webSocketUri(URI uri) {
        return URI.create(uri.toString().replaceFirst("^http", "ws"));
    }

    /** Sends a text message and waits until it went out. */
    public DeviceConnection send(String text) {
        enqueue(ws -> ws.sendText(text, true)).join();
        return this;
    }

    /** Sends one binary message (a PCM or Opus frame) and waits until it went out. */
    public DeviceConnection send(byte[] frame) {
        return send(ByteBuffer.wrap(frame));
    }

    /** Sends one binary message and waits until it went out. */
    public DeviceConnection send(ByteBuffer frame) {
        enqueue(ws -> ws.sendBinary(frame, true)).join();
        return this;
    }

    /** Sends a text; false (and the socket counts as lost) when it could not go out. */
    public boolean trySend(String text) {
        return lostUnless(() -> send(text));
    }

    /** Sends a binary message; false (and the socket counts as lost) when it could not go out. */
    public boolean trySend(ByteBuffer frame) {
        return lostUnless(() -> send(frame));
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
            boolean last = to == message.length;
            sent = sent.thenCompose(ws -> ws.sendBinary(ByteBuffer.wrap(message, from, to - from), last));
        }
        return sent;
    }

    /** Sends 16-bit mono PCM at {@code sampleRate} in frames of {@code frameMs}, at once. */
    public DeviceConnection sendFrames(byte[] pcm, int sampleRate, int frameMs) {
        int frameBytes = sampleRate * frameMs / 1000 * 2;
        for (int offset = 0; offset < pcm.length; offset += frameBytes) {
            send(Arrays.copyOfRange(pcm, offset, Math.min(pcm.length, offset + frameBytes)));
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
            if (!trySend(ByteBuffer.wrap(Arrays.copyOfRange(pcm, offset, Math.min(pcm.length, offset + frameBytes))))) {
                break;
            }
            sent++;
        }
        return sent;
    }

    /** The next message kept, waiting up to {@code timeout}; fails when none came. */
    public JsonNode next(Duration timeout) {
        try {
            JsonNode message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new IllegalStateException("no message from the router within " + timeout);
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a message", e);
        }
    }

    /** The next message kept, which must be of {@code type}; fails otherwise. */
    public JsonNode expect(String type, Duration timeout) {
        JsonNode message = next(timeout);
        if (!type.equals(message.path("type").asText())) {
            throw new IllegalStateException("expected a " + type + " message, the router sent " + message);
        }
        return message;
    }

    /** Every message kept so far, taken ones included. */
    public synchronized List<JsonNode> received() {
        messages.drainTo(taken);
        return List.copyOf(taken);
    }

    /** Messages kept and not taken yet; takes them. */
    public List<JsonNode> drain() {
        List<JsonNode> out = new ArrayList<>();
        messages.drainTo(out);
        return out;
    }

    /** The server's close code (-1 for a lost connection); completes when the socket ends. */
    public CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    /** The close code, failing after {@code timeout}. */
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

    /** Sends go out one after the other, each once the previous one went. */
    private synchronized CompletableFuture<WebSocket> enqueue(
            java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> send) {
        sending = sending.exceptionally(e -> null).thenCompose(ignored -> send.apply(socket));
        return sending;
    }

    private boolean lostUnless(Runnable send) {
        try {
            send.run();
            return true;
        } catch (CompletionException | CancellationException e) {
            closeReason.complete("");
            closeCode.complete(-1);
            return false;
        }
    }

    private Duration keep(String text) {
        try {
            messages.add(ServerMessage.JSON.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException("the router sent a message that is not JSON: " + text, e);
        }
        return Duration.ZERO;
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder parts = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            parts.append(data);
            if (!last) {
                webSocket.request(1);
                return null;
            }
            String text = parts.toString();
            parts.setLength(0);
            Duration pause = reader == null ? keep(text) : reader.received(text);
            if (pause.isZero()) {
                webSocket.request(1);
            } else {
                CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> webSocket.request(1));
            }
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
