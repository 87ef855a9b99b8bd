package dev.speechfleet.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One device's session over protocol v1: connect with its token, {@code start}, stream the audio
 * in frames at the configured pace, {@code stop}, and collect every result until the router closes
 * the socket. Optionally drops the socket mid-session and resumes with {@code session_id} and
 * {@code last_seq}, ignoring results it already has, as a device does.
 */
public final class DeviceRun {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final DeviceOptions options;
    private final Consumer<String> out;
    private final HttpClient http;

    private final Map<Long, DeviceReport.Result> bySeq = new ConcurrentHashMap<>();
    private final List<DeviceReport.Result> arrival = new CopyOnWriteArrayList<>();
    private final List<ServerMessage.Error> sessionErrors = new CopyOnWriteArrayList<>();
    private final List<Long> latencies = new CopyOnWriteArrayList<>();
    /** Session audio offset (ms) at the end of each frame → when that frame was sent. */
    private final ConcurrentSkipListMap<Long, Long> sentAt = new ConcurrentSkipListMap<>();
    private volatile int duplicateCount;
    private Progress progress = (sentMs, totalMs) -> { };

    /** Told how much audio has been sent, about once a second. */
    @FunctionalInterface
    public interface Progress {
        void sent(long sentMs, long totalMs);
    }

    public DeviceRun(DeviceOptions options, HttpClient http, Consumer<String> out) {
        this.options = options;
        this.http = http;
        this.out = out;
    }

    /** Reports sending progress to {@code listener}. */
    public DeviceRun withProgress(Progress listener) {
        this.progress = listener;
        return this;
    }

    /** Runs the whole session; returns what the device saw. */
    public DeviceReport run() throws IOException, InterruptedException {
        Connection connection = connect(null, -1);
        String sessionId = connection.awaitReady().sessionId();
        int resumes = 0;
        byte[] pcm = options.audio().pcm();
        int frameBytes = options.audio().bytesFor(options.frameMs());
        long startNanos = System.nanoTime();
        for (int offset = 0, frame = 0; offset < pcm.length; offset += frameBytes, frame++) {
            if (shouldDrop(resumes)) {
                connection = dropAndResume(connection, sessionId);
                resumes++;
            }
            paceFrame(startNanos, frame);
            int length = Math.min(frameBytes, pcm.length - offset);
            connection.sendAudio(ByteBuffer.wrap(pcm, offset, length));
            long sentMs = (offset + length) / 2 * 1000L / options.audio().sampleRate();
            sentAt.put(sentMs, System.nanoTime());
            if (frame % (1000 / options.frameMs()) == 0 || offset + length >= pcm.length) {
                progress.sent(sentMs, options.audio().durationMs());
            }
            if (connection.closed().isDone()) {
                break;
            }
        }
        if (options.dropAfterSeq() >= 0 && resumes == 0 && awaitResult(options.dropAfterSeq())) {
            // The result came only after the audio ended: drop and resume now, before stopping.
            connection = dropAndResume(connection, sessionId);
            resumes++;
        }
        connection.sendText("{\"type\":\"stop\"}");
        int closeCode = connection.awaitClose(options.resultWait());
        return new DeviceReport(options.deviceId(), sessionId, List.copyOf(arrival), duplicateCount,
                List.copyOf(sessionErrors), resumes, closeCode, List.copyOf(latencies));
    }

    private Connection dropAndResume(Connection connection, String sessionId) throws IOException,
            InterruptedException {
        connection.drop();
        Connection resumed = connect(sessionId, contiguousLastSeq());
        resumed.awaitReady();
        out.accept(options.deviceId() + ": socket dropped, session resumed after seq " + contiguousLastSeq());
        return resumed;
    }

    /** Waits (up to the result wait) for the result of {@code seq}; false when it did not come. */
    private boolean awaitResult(long seq) throws InterruptedException {
        long deadline = System.nanoTime() + options.resultWait().toNanos();
        synchronized (bySeq) {
            while (!bySeq.containsKey(seq) && System.nanoTime() < deadline) {
                bySeq.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            return bySeq.containsKey(seq);
        }
    }

    private boolean shouldDrop(int resumes) {
        return options.dropAfterSeq() >= 0 && resumes == 0 && bySeq.containsKey(options.dropAfterSeq());
    }

    /** The highest seq up to which every result has arrived; -1 before the first. */
    private long contiguousLastSeq() {
        long seq = -1;
        while (bySeq.containsKey(seq + 1)) {
            seq++;
        }
        return seq;
    }

    private void paceFrame(long startNanos, int frame) {
        if (options.speed() == 0) {
            return;
        }
        long due = startNanos + (long) (frame * options.frameMs() * 1_000_000L / options.speed());
        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }

    private Connection connect(String sessionId, long lastSeq) throws IOException, InterruptedException {
        String device = URLEncoder.encode(options.deviceId(), StandardCharsets.UTF_8);
        URI uri = options.server().resolve("/ws/" + device);
        Connection connection = new Connection();
        try {
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT)
                    .header("Authorization", "Bearer " + options.token())
                    .buildAsync(uri, connection).get(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            connection.socket = socket;
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IOException("cannot open " + uri + ": " + rootCause(e), e);
        }
        connection.sendText(startMessage(sessionId, lastSeq));
        return connection;
    }

    /** The {@code start} this device sends: a new session, or the resume of {@code sessionId}. */
    String startMessage(String sessionId, long lastSeq) {
        ObjectNode start = ServerMessage.JSON.createObjectNode().put("type", "start");
        if (sessionId != null) {
            start.put("session_id", sessionId).put("last_seq", lastSeq);
        }
        start.put("sample_rate", options.audio().sampleRate()).put("encoding", "pcm_s16le")
                .put("language", options.language());
        if (options.policy() != null) {
            start.put("policy", options.policy());
        }
        if (!options.consensus().isEmpty()) {
            options.consensus().forEach(start.putArray("consensus")::add);
        }
        if (!options.keyterms().isEmpty()) {
            options.keyterms().forEach(start.putArray("keyterms")::add);
        }
        return start.toString();
    }

    private void accept(ServerMessage message, long receivedNanos) {
        switch (message) {
            case ServerMessage.Transcript t -> result(t.seq(), t, t.endMs(), receivedNanos);
            case ServerMessage.Error e when e.seq() != null -> result(e.seq(), e, -1, receivedNanos);
            case ServerMessage.Error e -> {
                sessionErrors.add(e);
                out.accept(options.deviceId() + ": error " + e.code() + ": " + e.message());
            }
            default -> { }
        }
    }

    private void result(long seq, ServerMessage message, long endMs, long receivedNanos) {
        DeviceReport.Result result = new DeviceReport.Result(seq, message);
        synchronized (bySeq) {
            if (bySeq.putIfAbsent(seq, result) != null) {
                duplicateCount++;
                return;
            }
            bySeq.notifyAll();
        }
        arrival.add(result);
        long latencyMs = latencyMs(endMs, receivedNanos);
        if (latencyMs >= 0) {
            latencies.add(latencyMs);
        }
        out.accept(ResultLine.format(options.deviceId(), message, latencyMs));
    }

    private long latencyMs(long endMs, long receivedNanos) {
        if (endMs < 0) {
            return -1;
        }
        Map.Entry<Long, Long> sent = sentAt.ceilingEntry(endMs);
        if (sent == null) {
            sent = sentAt.lastEntry();
        }
        return sent == null ? -1 : Math.max(0, TimeUnit.NANOSECONDS.toMillis(receivedNanos - sent.getValue()));
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    /** One WebSocket of the session, with its listener. */
    private final class Connection implements WebSocket.Listener {
        private volatile WebSocket socket;
        private final CompletableFuture<ServerMessage.Ready> ready = new CompletableFuture<>();
        private final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);

        ServerMessage.Ready awaitReady() throws IOException, InterruptedException {
            try {
                return CompletableFuture.anyOf(ready, closed).thenApply(o -> {
                    if (o instanceof ServerMessage.Ready r) {
                        return r;
                    }
                    throw new IllegalStateException("router closed the socket (" + o + ") before ready: "
                            + sessionErrors);
                }).get(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                throw new IOException(options.deviceId() + ": no ready from the router: " + rootCause(e), e);
            }
        }

        CompletableFuture<Integer> closed() {
            return closed;
        }

        synchronized void sendText(String text) {
            sending = sending.thenCompose(ws -> socket.sendText(text, true));
            sending.join();
        }

        synchronized void sendAudio(ByteBuffer frame) {
            sending = sending.thenCompose(ws -> socket.sendBinary(frame, true));
            sending.join();
        }

        void drop() {
            socket.abort();
        }

        int awaitClose(Duration wait) throws InterruptedException {
            try {
                return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                socket.abort();
                return -1;
            } catch (java.util.concurrent.ExecutionException e) {
                return -1;
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String json = partial.toString();
                partial.setLength(0);
                try {
                    ServerMessage message = ServerMessage.parse(json);
                    if (message instanceof ServerMessage.Ready r) {
                        ready.complete(r);
                    }
                    accept(message, System.nanoTime());
                } catch (IOException e) {
                    out.accept(options.deviceId() + ": unreadable message from the router: " + json);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
