package dev.speechfleet.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speechfleet.core.stream.AudioEncodings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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

    private static final Duration CONNECT_TIMEOUT = DeviceConnection.CONNECT_TIMEOUT;
    /** Close codes of a resume the router refuses: trying again would not help. */
    private static final java.util.Set<Integer> REFUSALS = java.util.Set.of(4400, 4401, 4404, 4411);
    /**
     * Close codes of a socket the router lost rather than refused: -1/1006 connection lost (or never
     * opened); 1001/1011/1012 the router went away; 4503 unavailable; 4420 slow reader.
     */
    private static final java.util.Set<Integer> WENT_AWAY = java.util.Set.of(-1, 1006, 1001, 1011, 1012, 4503, 4420);
    /** What {@link Connection#awaitClose} answers when the router did not close in time. */
    private static final int NO_CLOSE = -2;

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
    private boolean plannedDropDone;
    private volatile long stallAfterSeq = -1;
    private volatile Duration stallFor = Duration.ZERO;
    private final java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();

    /** Told of each seq's first result as it arrives, with when it arrived ({@link System#nanoTime()}). */
    @FunctionalInterface
    public interface ResultListener {
        void arrived(long seq, ServerMessage message, long receivedNanos);
    }

    private volatile ResultListener resultListener = (seq, message, receivedNanos) -> { };
    private volatile boolean audioEnded;

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

    /**
     * Makes the device stop reading its socket for {@code pause} once the result of {@code afterSeq}
     * has arrived, as a wedged device does (for fault tests); what the router sends meanwhile backs up.
     */
    public DeviceRun stallReading(long afterSeq, Duration pause) {
        this.stallAfterSeq = afterSeq;
        this.stallFor = pause;
        return this;
    }

    /** Reports sending progress to {@code listener}. */
    public DeviceRun withProgress(Progress listener) {
        this.progress = listener;
        return this;
    }

    /** Tells {@code listener} of every result as it arrives (benchmarks time them). */
    public DeviceRun onResult(ResultListener listener) {
        this.resultListener = listener;
        return this;
    }

    /**
     * When the frame holding session audio position {@code audioMs} was sent ({@link System#nanoTime()}),
     * or -1 when no such frame was sent yet.
     */
    public long sentNanosAt(long audioMs) {
        Map.Entry<Long, Long> sent = sentAt.ceilingEntry(audioMs);
        return sent == null ? -1 : sent.getValue();
    }

    /**
     * Ends the audio now, as a device whose user stopped talking: after the frame in flight the device
     * sends {@code stop} and waits for its last results (benchmarks keep devices open as long as they need).
     */
    public void endAudio() {
        audioEnded = true;
    }

    /** Runs the whole session; returns what the device saw. */
    public DeviceReport run() throws IOException, InterruptedException {
        Connection connection = open();
        String sessionId = connection.awaitReady().sessionId();
        Session session = new Session(sessionId, connection);
        byte[] pcm = options.audio().pcm();
        int frameBytes = options.audio().bytesFor(options.frameMs());
        long startNanos = System.nanoTime();
        while (session.offset < pcm.length && !audioEnded) {
            if (shouldDrop()) {
                plannedDropDone = true;
                session.connection.drop();
                resume(session, pcm.length);
                continue;
            }
            if (session.connection.closed().isDone()) {
                if (!lostByTheRouter(session.connection) || !resume(session, pcm.length)) {
                    break;
                }
                continue;
            }
            int offset = session.offset;
            paceFrame(startNanos, offset / frameBytes);
            int length = Math.min(frameBytes, pcm.length - offset);
            if (!session.connection.trySendAudio(ByteBuffer.wrap(pcm, offset, length))) {
                continue;
            }
            session.offset = offset + length;
            long sentMs = msOf(offset + length);
            sentAt.putIfAbsent(sentMs, System.nanoTime());
            if ((offset / frameBytes) % (1000 / options.frameMs()) == 0 || offset + length >= pcm.length) {
                progress.sent(sentMs, options.audio().durationMs());
            }
        }
        if (options.dropAfterSeq() >= 0 && !plannedDropDone && awaitResult(options.dropAfterSeq())) {
            // The result came only after the audio ended: drop and resume now, before stopping.
            plannedDropDone = true;
            session.connection.drop();
            resume(session, pcm.length);
        }
        // Audio ended early is the end of this device's audio: a resume resends nothing past it.
        int closeCode = stop(session, audioEnded ? session.offset : pcm.length);
        return new DeviceReport(options.deviceId(), sessionId, List.copyOf(arrival), duplicateCount,
                List.copyOf(sessionErrors), session.resumes, closeCode, List.copyOf(latencies));
    }

    /** The session as the device tracks it: its socket, where its audio is, how often it resumed. */
    private static final class Session {
        final String id;
        Connection connection;
        int offset;
        int resumes;

        Session(String id, Connection connection) {
            this.id = id;
            this.connection = connection;
        }
    }

    /** Sends {@code stop} and waits for the close; a router lost meanwhile is resumed and asked again. */
    private int stop(Session session, int audioBytes) throws IOException, InterruptedException {
        while (true) {
            session.connection.trySendText("{\"type\":\"stop\"}");
            int closeCode = session.connection.awaitClose(options.resultWait());
            if (!lostByTheRouter(session.connection) || !resume(session, audioBytes)) {
                return closeCode;
            }
            // Audio the router never made durable goes out again before the stop.
            sendRest(session, audioBytes);
        }
    }

    private void sendRest(Session session, int audioBytes) {
        byte[] pcm = options.audio().pcm();
        int frameBytes = options.audio().bytesFor(options.frameMs());
        while (session.offset < audioBytes && session.connection.trySendAudio(ByteBuffer.wrap(pcm, session.offset,
                Math.min(frameBytes, audioBytes - session.offset)))) {
            session.offset = Math.min(audioBytes, session.offset + frameBytes);
        }
    }

    /** Once: the message that answers the seq after which the device stops reading. */
    private boolean shouldStall(ServerMessage message) {
        Long seq = switch (message) {
            case ServerMessage.Transcript t -> t.seq();
            case ServerMessage.Error e -> e.seq();
            default -> null;
        };
        return seq != null && seq == stallAfterSeq && stalled.compareAndSet(false, true);
    }

    /** Whether the socket ended in a way a device recovers from by resuming (not a refusal of its own doing). */
    private boolean lostByTheRouter(Connection connection) {
        if (!connection.closed().isDone() || options.reconnectFor().isZero()) {
            return false;
        }
        return WENT_AWAY.contains(connection.closed().getNow(-1));
    }

    /**
     * Connects and starts a new session. A router that is down or goes away before {@code ready} is
     * retried with the resume's backoff for up to the reconnect time, as a device's first connection
     * meets the same faults as its later ones; a refusal is not retried.
     */
    private Connection open() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + options.reconnectFor().toNanos();
        Backoff backoff = new Backoff();
        while (true) {
            Connection connection = null;
            try {
                connection = connect(null, -1, -1);
                connection.awaitReady();
                return connection;
            } catch (IOException | RuntimeException e) {
                int code = connection == null ? -1 : connection.closed().getNow(-1);
                if (options.reconnectFor().isZero() || System.nanoTime() > deadline || !WENT_AWAY.contains(code)
                        || refusedAtUpgrade(e)) {
                    throw e instanceof IOException io ? io
                            : new IOException(options.deviceId() + ": no session: " + rootCause(e), e);
                }
                if (connection != null) {
                    connection.drop();
                }
                out.accept(options.deviceId() + ": no session yet (" + rootCause(e) + "), trying again");
                backoff.pause();
            }
        }
    }

    /**
     * Reconnects (with backoff and jitter, for up to the reconnect time) and resumes the session
     * after the last contiguous seq; the audio goes on from the position {@code ready} reports, or
     * from the oldest audio still kept when that is older (the router reports the gap).
     */
    private boolean resume(Session session, int audioBytes) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + options.reconnectFor().toNanos();
        Backoff backoff = new Backoff();
        while (true) {
            Connection resumed = null;
            try {
                resumed = connect(session.id, contiguousLastSeq(), -1);
                ServerMessage.Ready ready = resumed.awaitReady();
                int kept = Math.max(0, session.offset - options.audio().bytesFor((int) options.keepAudio().toMillis()));
                int from = bytesAt(ready.audioMs());
                if (from < kept) {
                    // Older than what the device still has: say where its audio starts instead.
                    resumed.drop();
                    resumed = connect(session.id, contiguousLastSeq(), msOf(kept));
                    resumed.awaitReady();
                    from = kept;
                }
                session.connection = resumed;
                session.offset = Math.min(audioBytes, from);
                session.resumes++;
                out.accept(options.deviceId() + ": session resumed after seq " + contiguousLastSeq()
                        + ", audio from " + msOf(session.offset) + " ms");
                return true;
            } catch (IOException | RuntimeException e) {
                int code = resumed == null ? -1 : resumed.closed().getNow(-1);
                if (System.nanoTime() > deadline || REFUSALS.contains(code)) {
                    out.accept(options.deviceId() + ": could not resume: " + rootCause(e));
                    return false;
                }
                backoff.pause();
            }
        }
    }

    private long msOf(int bytes) {
        return bytes / 2 * 1000L / options.audio().sampleRate();
    }

    /** The byte offset of session audio position {@code ms}, on a whole sample. */
    private int bytesAt(long ms) {
        return (int) (ms * options.audio().sampleRate() / 1000) * 2;
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

    /** The one drop the options ask for, once the result of {@code dropAfterSeq} is in (other losses aside). */
    private boolean shouldDrop() {
        return options.dropAfterSeq() >= 0 && !plannedDropDone && bySeq.containsKey(options.dropAfterSeq());
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

    private Connection connect(String sessionId, long lastSeq, long audioMs) throws IOException,
            InterruptedException {
        String device = URLEncoder.encode(options.deviceId(), StandardCharsets.UTF_8);
        URI uri = options.server().resolve("/ws/" + device);
        Connection connection = new Connection();
        try {
            connection.socket = DeviceConnection.connectAsync(http, uri, options.token(), connection::read)
                    .get(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IOException("cannot open " + uri + ": " + rootCause(e), e);
        }
        connection.socket.send(startMessage(sessionId, lastSeq, audioMs));
        return connection;
    }

    /**
     * The {@code start} this device sends: a new session, or the resume of {@code sessionId}, with
     * {@code audioMs} (where its first frame sits) when not negative, else it resends from {@code ready}.
     */
    String startMessage(String sessionId, long lastSeq, long audioMs) {
        ObjectNode start = ServerMessage.JSON.createObjectNode().put("type", "start");
        if (sessionId != null) {
            start.put("session_id", sessionId).put("last_seq", lastSeq);
        }
        if (audioMs >= 0) {
            start.put("audio_ms", audioMs);
        }
        start.put("sample_rate", options.audio().sampleRate()).put("encoding", AudioEncodings.PCM_S16LE)
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
        resultListener.arrived(seq, message, receivedNanos);
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

    /** The wait between connection attempts: 100 ms doubling up to 2 s, each with jitter over its upper half. */
    private static final class Backoff {
        private long nextMs = 100;

        void pause() throws InterruptedException {
            Thread.sleep(nextMs / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(nextMs / 2 + 1));
            nextMs = Math.min(2000, nextMs * 2);
        }
    }

    /** Whether the router answered the upgrade with a 4xx (a wrong token or device): trying again cannot help. */
    private static boolean refusedAtUpgrade(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.http.WebSocketHandshakeException refused) {
                int status = refused.getResponse().statusCode();
                return status >= 400 && status < 500;
            }
        }
        return false;
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    /** One socket of the session: what the device reads from it, and whether {@code ready} came. */
    private final class Connection {
        private final CompletableFuture<ServerMessage.Ready> ready = new CompletableFuture<>();
        private DeviceConnection socket;

        /** Takes one message from the router; returns how long the device then stops reading. */
        private Duration read(String json) {
            try {
                ServerMessage message = ServerMessage.parse(json);
                if (message instanceof ServerMessage.Ready r) {
                    ready.complete(r);
                }
                accept(message, System.nanoTime());
                if (shouldStall(message)) {
                    out.accept(options.deviceId() + ": stops reading for " + stallFor.toMillis() + " ms");
                    return stallFor;
                }
            } catch (IOException e) {
                out.accept(options.deviceId() + ": unreadable message from the router: " + json);
            }
            return Duration.ZERO;
        }

        ServerMessage.Ready awaitReady() throws IOException, InterruptedException {
            try {
                return CompletableFuture.anyOf(ready, closed()).thenApply(o -> {
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
            return socket.closeCode();
        }

        /** Sends a frame; false when the socket is gone (the caller resumes). */
        boolean trySendAudio(ByteBuffer frame) {
            return socket.trySend(frame);
        }

        /** Sends a text; false when the socket is gone. */
        boolean trySendText(String text) {
            return socket.trySend(text);
        }

        void drop() {
            socket.abort();
        }

        int awaitClose(Duration wait) throws InterruptedException {
            try {
                return closed().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                closed().complete(NO_CLOSE);
                socket.abort();
                return NO_CLOSE;
            } catch (java.util.concurrent.ExecutionException e) {
                return -1;
            }
        }
    }
}
