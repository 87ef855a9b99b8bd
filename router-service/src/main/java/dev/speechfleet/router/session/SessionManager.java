package dev.speechfleet.router.session;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.RedisUnavailableException;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.router.admin.DeviceRevoked;
import dev.speechfleet.router.audio.AudioEncoding;
import dev.speechfleet.router.audio.FrameDecoder;
import dev.speechfleet.router.config.RouterConfig;
import dev.speechfleet.router.delivery.DeliveryTelemetry;
import dev.speechfleet.router.delivery.ResultOutbox;
import dev.speechfleet.router.delivery.ResultPump;
import dev.speechfleet.router.device.DeviceUpgradeCheck;
import dev.speechfleet.router.protocol.ClientMessage;
import dev.speechfleet.router.protocol.ClientMessageParser;
import dev.speechfleet.router.protocol.ProtocolError;
import dev.speechfleet.router.protocol.ProtocolViolation;
import dev.speechfleet.router.protocol.ServerMessages;
import dev.speechfleet.router.routing.RouteDecision;
import dev.speechfleet.router.routing.RouteMetrics;
import dev.speechfleet.router.routing.RoutingPolicy;
import dev.speechfleet.router.routing.UtteranceDispatcher;
import dev.speechfleet.router.transport.InboundBacklog;
import dev.speechfleet.router.transport.SocketAborts;
import dev.speechfleet.router.vad.Utterance;
import dev.speechfleet.router.vad.UtteranceSegmenter;
import dev.speechfleet.router.vad.VadSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The device protocol behind the socket endpoint: start (new or resumed), audio through the VAD to
 * the dispatcher, flush, stop; bad input, limits and revocations. Every failure of one session
 * stays in that session. Every way a socket ends (stop, an error's close, idle or duration limits,
 * a resume elsewhere, a slow reader, the device's own close) first cuts and dispatches the
 * utterance in progress; utterances Redis does not take wait in their session and are retried for
 * {@code router.dispatch.retry-window}.
 */
@ApplicationScoped
public class SessionManager {

    private static final Logger LOG = Logger.getLogger(SessionManager.class);
    /** The name under which the router signs the error of a seq it never dispatched. */
    static final String ABANDONED_BY = "router";

    private final RouterConfig config;
    private final RedisStreams redis;
    private final SessionRegistry registry;
    private final SessionStore store;
    private final UtteranceDispatcher dispatcher;
    private final StartValidator validator;
    private final ResultPump pump;
    private final DeliveryTelemetry delivery;
    private final RouteMetrics routes;
    private final Counter slowReaders;
    private final VadSettings vad;
    private final MeterRegistry meters;
    private final SocketAdmission admission;
    private final ProviderAllowance allowance;
    private final DeviceSession.Listener listener = new DeviceSession.Listener() {
        @Override
        public void closing(DeviceSession session) {
            finish(session);
            session.abortHandle().ifPresent(SocketAborts.Handle::closing);
        }

        @Override
        public void drained(DeviceSession session) {
            if (session.sessionId() != null) {
                pump.watch(session.sessionId());
            }
        }
    };
    private ScheduledExecutorService chores;

    SessionManager(RouterConfig config, SessionRegistry registry, SessionStore store, StartValidator validator,
            ProviderAllowance allowance, SocketAdmission admission, UtteranceDispatcher dispatcher, ResultPump pump,
            DeliveryTelemetry delivery, RouteMetrics routes, RedisStreams redis, MeterRegistry meters) {
        this.delivery = delivery;
        this.routes = routes;
        this.config = config;
        this.registry = registry;
        this.store = store;
        this.validator = validator;
        this.allowance = allowance;
        this.admission = admission;
        this.dispatcher = dispatcher;
        this.pump = pump;
        this.redis = redis;
        this.meters = meters;
        this.vad = VadSettings.from(config.vad());
        meters.gaugeCollectionSize("router.sessions.open", List.of(), registry.sessions());
        this.slowReaders = Counter.builder("router.sockets.slow_reader")
                .description("Sockets closed because the device did not read (close 4420)").register(meters);
    }

    void onStart(@Observes StartupEvent event) {
        // Two threads: a checkpoint round waiting on Redis must not hold up limits and dispatch retries.
        chores = Executors.newScheduledThreadPool(2, Thread.ofPlatform().name("session-chores-", 0).daemon().factory());
        long every = config.limits().checkInterval().toMillis();
        chores.scheduleWithFixedDelay(this::enforceLimits, every, every, TimeUnit.MILLISECONDS);
        long checkpointEvery = config.session().checkpointInterval().toMillis();
        chores.scheduleWithFixedDelay(this::checkpoint, checkpointEvery, checkpointEvery, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (chores != null) {
            chores.shutdownNow();
        }
    }

    public void opened(WebSocketConnection connection) {
        admission.admit(register(connection), connection);
    }

    private DeviceSession register(WebSocketConnection connection) {
        return registry.register(connection.id(), () -> new DeviceSession(connection,
                connection.pathParam(DeviceUpgradeCheck.DEVICE_ID_PARAM), connection.userData().get(DeviceUpgradeCheck.DEVICE_POLICY),
                ProviderAllowance.parse(connection.userData().get(DeviceUpgradeCheck.DEVICE_PROVIDERS)),
                System.nanoTime(), listener, config.delivery().outboxBytes().asLongValue(),
                config.delivery().outboxMaxBytes().asLongValue()));
    }

    public void text(WebSocketConnection connection, String text) {
        try {
            handleText(connection, text);
        } finally {
            handled(connection);
        }
    }

    public void binary(WebSocketConnection connection, byte[] frame) {
        try {
            withSession(connection, session -> audio(session, frame));
        } finally {
            handled(connection);
        }
    }

    /** The socket's backlog of received messages goes down by one, so that reading it resumes in time. */
    private static void handled(WebSocketConnection connection) {
        InboundBacklog backlog = connection.userData().get(InboundBacklog.KEY);
        if (backlog != null) {
            backlog.handled();
        }
    }

    private void handleText(WebSocketConnection connection, String text) {
        withSession(connection, session -> {
            if (text.getBytes(StandardCharsets.UTF_8).length > config.limits().maxTextBytes()) {
                throw new ProtocolViolation(ProtocolError.MESSAGE_TOO_LARGE,
                        "text messages are limited to " + config.limits().maxTextBytes() + " bytes");
            }
            switch (ClientMessageParser.parse(text)) {
                case ClientMessage.Start start -> start(session, start);
                case ClientMessage.Flush flush -> flush(session);
                case ClientMessage.Stop stop -> stop(session);
            }
        });
    }

    /**
     * The device closed the socket (or it dropped): its interrupted utterance is still dispatched.
     * The socket leaves the registry only afterwards, so a resume racing this close takes it over
     * and waits for its audio to be finished.
     */
    public void closed(WebSocketConnection connection) {
        registry.byConnection(connection.id()).ifPresent(session -> {
            if (session.state() != DeviceSession.State.CLOSED) {
                finish(session);
            }
            session.markClosed();
            registry.closed(session);
        });
    }

    void onRevoked(@Observes DeviceRevoked revoked) {
        registry.sockets().stream().filter(s -> s.deviceId().equals(revoked.deviceId()))
                .forEach(s -> s.fail(ProtocolError.DEVICE_REVOKED, "the device's token was revoked"));
    }

    private interface SessionAction {
        void run(DeviceSession session);
    }

    private void withSession(WebSocketConnection connection, SessionAction action) {
        if (connection.isClosed()) {
            return;
        }
        DeviceSession session = register(connection);
        if (session.state() == DeviceSession.State.CLOSED) {
            return;
        }
        session.touch(System.nanoTime());
        try {
            action.run(session);
        } catch (ProtocolViolation e) {
            meters.counter("router.protocol.errors", "code", e.error().code()).increment();
            session.fail(e.error(), e.getMessage());
        } catch (RedisUnavailableException e) {
            LOG.warnf("Redis failed for session %s: %s", session.sessionId(), e.getMessage());
            session.fail(ProtocolError.UNAVAILABLE, "the router cannot reach its queue; reconnect and resume");
        } catch (RuntimeException e) {
            // A defect must cost this session only, never the service or other sessions.
            LOG.errorf(e, "unexpected failure in session %s", session.sessionId());
            session.fail(ProtocolError.UNAVAILABLE, "the router failed on this session; reconnect and resume");
        }
    }

    private void start(DeviceSession session, ClientMessage.Start start) {
        if (session.state() != DeviceSession.State.AWAITING_START) {
            throw new ProtocolViolation(ProtocolError.ALREADY_STARTED, "this socket has started its session already");
        }
        RoutingPolicy policy = validator.validate(start, session.devicePolicy());
        allowance.check(start, session.deviceProviders());
        String sessionId = start.sessionId().orElseGet(() -> UUID.randomUUID().toString());
        StoredSession stored = start.sessionId().isPresent() ? takeOver(session, sessionId) : null;
        if (registry.otherSocketsOf(session.deviceId(), session.connectionId(), sessionId)
                >= config.limits().maxSessionsPerDevice()) {
            throw new ProtocolViolation(ProtocolError.TOO_MANY_SESSIONS, "device " + session.deviceId()
                    + " already has " + config.limits().maxSessionsPerDevice() + " open sessions");
        }
        var parameters = SessionStore.parameters(start.sampleRate(), start.encoding(), start.language(),
                policy.wire(), start.consensus());
        long now = System.currentTimeMillis();
        if (stored == null) {
            store.create(sessionId, session.deviceId(), parameters, now);
        } else {
            store.resume(sessionId, parameters, now);
            stored.dispatching().ifPresent(seq -> answerAbandoned(stored, start.language(), seq));
        }
        long dispatchedMs = stored == null ? 0 : stored.audioMs();
        long firstFrameMs = start.audioMs().orElse(dispatchedMs);
        long skipBytes = Math.max(0, dispatchedMs - firstFrameMs) * start.sampleRate() / 1000 * 2;
        session.frames(FrameDecoder.of(AudioEncoding.fromWire(start.encoding()).orElseThrow(), start.sampleRate(),
                config.limits().maxFrameMs()));
        long firstSeq = start.lastSeq().orElse(-1) + 1;
        ResultOutbox outbox = new ResultOutbox(stored == null ? 0 : firstSeq, stored == null ? 0 : stored.nextSeq(),
                config.delivery().holdTimeout().toMillis(), delivery::sending);
        session.started(new DeviceSession.Start(sessionId, stored != null,
                new UtteranceDispatcher.Route(sessionId, session.deviceId(), start.sampleRate(), start.language(),
                        policy, start.consensus(), session.deviceProviders(), start.keyterms()),
                parameters, new UtteranceSegmenter(vad, start.sampleRate(), Math.max(dispatchedMs, firstFrameMs)),
                new UtteranceQueue(config.dispatch().maxWaiting(), config.dispatch().retryWindow()), outbox, skipBytes), System.nanoTime());
        registry.bind(sessionId, session).ifPresent(old -> old.fail(ProtocolError.SESSION_REPLACED,
                "session " + sessionId + " was resumed on another socket"));
        session.send(ServerMessages.ready(sessionId, stored != null, dispatchedMs));
        if (firstFrameMs > dispatchedMs) {
            session.send(ServerMessages.audioGap(dispatchedMs, firstFrameMs));
        }
        pump.watch(sessionId);
    }

    /**
     * A resume: the socket still holding the session on this instance is closed first (its audio
     * finished and dispatched), so the stored position already covers what it received.
     */
    private StoredSession takeOver(DeviceSession session, String sessionId) {
        registry.bySession(sessionId).filter(old -> old != session && old.deviceId().equals(session.deviceId()))
                .ifPresent(old -> old.fail(ProtocolError.SESSION_REPLACED,
                        "session " + sessionId + " was resumed on another socket"));
        return store.load(sessionId).filter(s -> s.deviceId().equals(session.deviceId()))
                .orElseThrow(() -> new ProtocolViolation(ProtocolError.UNKNOWN_SESSION,
                        "session " + sessionId + " does not exist for this device (expired or never started)"));
    }

    /**
     * A seq a router took but never confirmed (it stopped in between, so its audio is not counted as
     * dispatched): the device resends that audio under a new seq, and this seq is answered with an
     * error through the aggregator's one emit, so it neither waits forever nor gets two results.
     */
    private void answerAbandoned(StoredSession stored, String language, long seq) {
        long now = System.currentTimeMillis();
        String sessionId = stored.sessionId();
        LOG.infof("seq %d of session %s was taken but never dispatched (its router stopped); answering it with an"
                + " error, its audio is resent", seq, sessionId);
        redis.add(StreamKeys.HYPOTHESES, HypothesisCodec.encode(Hypothesis.builder()
                .utterance(sessionId, stored.deviceId(), seq).provider(ABANDONED_BY)
                .failed("the router stopped before this utterance was dispatched; its audio was resent under a later seq")
                .language(language).timing(stored.audioMs(), 0).enqueuedAtMillis(now).producedAtMillis(now).build()));
        store.forgetDispatching(sessionId, seq);
    }

    private void audio(DeviceSession session, byte[] frame) {
        if (session.state() != DeviceSession.State.ACTIVE) {
            throw new ProtocolViolation(ProtocolError.NOT_STARTED, "send start before audio");
        }
        byte[] pcm = session.frames().decode(frame);
        checkPace(session, session.addAudio(pcm.length));
        if (!session.feed(pcm, steps(session), System.nanoTime())) {
            tooManyWaiting(session);
        }
    }

    /** Audio may run ahead of the wall clock only by the configured burst and factor (and a resume's resend). */
    private void checkPace(DeviceSession session, long audioMs) {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - session.startedNanos());
        long allowedMs = (long) (elapsedMs * config.limits().maxRealTimeFactor())
                + config.limits().maxAudioAhead().toMillis()
                + (session.resumed() ? config.limits().maxResend().toMillis() : 0);
        if (audioMs > allowedMs) {
            throw new ProtocolViolation(ProtocolError.TOO_FAST, "received " + audioMs + " ms of audio in "
                    + elapsedMs + " ms; stream it at real time");
        }
    }

    private void flush(DeviceSession session) {
        if (session.state() != DeviceSession.State.ACTIVE) {
            throw new ProtocolViolation(ProtocolError.NOT_STARTED, "send start before flush");
        }
        Optional<Utterance> cut = session.flush(steps(session), System.nanoTime());
        LOG.debugf("flush of %s cut %s", session.sessionId(), cut);
    }

    private void stop(DeviceSession session) {
        if (session.state() != DeviceSession.State.ACTIVE) {
            throw new ProtocolViolation(ProtocolError.NOT_STARTED, "send start before stop");
        }
        session.flush(steps(session), System.nanoTime());
        session.stopping(System.nanoTime());
        try {
            store.end(session.sessionId(), System.currentTimeMillis());
        } catch (RedisUnavailableException e) {
            // Only a marker; the session's utterances still wait for Redis and the drain waits for them.
            LOG.warnf("could not mark session %s ended: %s", session.sessionId(), e.getMessage());
        }
        pump.watch(session.sessionId());
    }

    private void tooManyWaiting(DeviceSession session) {
        session.fail(ProtocolError.UNAVAILABLE, session.undispatched() + " utterances are waiting for the router's"
                + " queue (" + session.dispatchFailure() + "); reconnect, resume and resend from audio_ms");
    }

    /**
     * Cuts and dispatches the utterance in progress of a socket that is ending, then records the
     * session's audio position; what Redis does not take now is resent by the device after a resume.
     */
    private void finish(DeviceSession session) {
        if (session.sessionId() == null) {
            return;
        }
        try {
            Optional<Long> position = session.finishAudio(steps(session), System.nanoTime());
            if (position.isPresent()) {
                store.savePosition(session.sessionId(), position.get());
            } else if (session.hasUndispatched()) {
                LOG.warnf("%d utterance(s) of %s were not dispatched at close (%s); the device resends them after"
                        + " resuming", session.undispatched(), session.sessionId(), session.dispatchFailure());
            }
        } catch (RedisUnavailableException e) {
            LOG.warnf("position of %s was not saved at close: %s", session.sessionId(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "finishing the audio of %s failed", session.sessionId());
        }
    }

    /** The Redis steps of one session's utterances: take a seq, add the entries, move the position. */
    private UtteranceQueue.Steps steps(DeviceSession session) {
        return new UtteranceQueue.Steps() {
            @Override
            public long takeSeq(Utterance utterance) {
                OptionalLong seq = store.takeSeq(session.sessionId());
                if (seq.isPresent()) {
                    return seq.getAsLong();
                }
                recreate(session, session.dispatchedMs());
                return store.takeSeq(session.sessionId()).orElseThrow(() -> new IllegalStateException(
                        "session " + session.sessionId() + " vanished again right after it was re-created"));
            }

            @Override
            public void enqueue(long seq, Utterance utterance) {
                RouteDecision decision = dispatcher.dispatch(session.route(), seq, utterance);
                session.outbox().issued(seq);
                routes.dispatched(decision);
            }

            @Override
            public void confirm(long seq, Utterance utterance) {
                store.confirm(session.sessionId(), seq, utterance.endMs());
                session.dispatchedTo(utterance.endMs());
            }
        };
    }

    /**
     * Writes a session that vanished from Redis back, with seqs going on after every seq this socket
     * knows of: a seq is never handed out twice, and the device is not disturbed.
     */
    private void recreate(DeviceSession session, long audioMs) {
        long nextSeq = session.outbox().issuedCount();
        LOG.warnf("session %s of device %s is missing from Redis (expired or lost); re-creating it with next seq %d",
                session.sessionId(), session.deviceId(), nextSeq);
        store.recreate(session.sessionId(), session.deviceId(), session.parameters(), nextSeq, audioMs,
                System.currentTimeMillis());
        meters.counter("router.sessions.recreated").increment();
    }

    private void enforceLimits() {
        long now = System.nanoTime();
        for (DeviceSession session : registry.sockets()) {
            if (session.state() == DeviceSession.State.CLOSED && session.connectionClosed()) {
                registry.closed(session); // a message that raced the close re-registered it
                continue;
            }
            try {
                enforceLimits(session, now);
            } catch (RuntimeException e) {
                LOG.warnf("limit check of %s failed: %s", session.connectionId(), e.getMessage());
            }
        }
    }

    private void enforceLimits(DeviceSession session, long now) {
        long fullSince = session.outboxFullSinceNanos();
        if (fullSince == Long.MIN_VALUE || fullSince >= 0
                && now - fullSince > config.delivery().slowReaderTimeout().toNanos()) {
            slowReaders.increment();
            LOG.infof("closing socket %s of %s: it does not read (outbox full)", session.connectionId(),
                    session.deviceId());
            session.closeSlowReader("the device did not read its messages for "
                    + config.delivery().slowReaderTimeout());
            return;
        }
        if (!session.retryDispatch(steps(session), now)
                && session.undispatchedForNanos(now) > config.dispatch().retryWindow().toNanos()) {
            session.fail(ProtocolError.UNAVAILABLE, "the router could not reach its queue for "
                    + config.dispatch().retryWindow() + " (" + session.dispatchFailure()
                    + "); reconnect, resume and resend from audio_ms");
        } else if (session.state() == DeviceSession.State.ACTIVE
                && now - session.startedNanos() > config.limits().maxDuration().toNanos()) {
            session.fail(ProtocolError.MAX_DURATION, "the session reached its maximum duration of "
                    + config.limits().maxDuration());
        } else if (session.state() != DeviceSession.State.STOPPING
                && now - session.lastActivityNanos() > config.limits().idleTimeout().toNanos()) {
            session.fail(ProtocolError.IDLE_TIMEOUT, "nothing received for " + config.limits().idleTimeout());
        }
    }

    /**
     * Open sessions keep {@code session:{id}} alive and record how far their audio is settled (so a
     * resume after a crash resends from close to where the device was); a session found missing is
     * written back.
     */
    private void checkpoint() {
        Map<String, Long> settled = new HashMap<>();
        Map<String, DeviceSession> byId = new HashMap<>();
        for (DeviceSession session : registry.sessions()) {
            if (session.state() == DeviceSession.State.CLOSED) {
                continue;
            }
            session.settledMs().ifPresent(ms -> {
                settled.put(session.sessionId(), ms);
                byId.put(session.sessionId(), session);
            });
        }
        if (settled.isEmpty()) {
            return;
        }
        try {
            for (String missing : store.checkpoint(settled)) {
                recreate(byId.get(missing), settled.get(missing));
            }
        } catch (RuntimeException e) {
            LOG.warnf("session checkpoint round failed, the next one retries: %s", e.getMessage());
        }
    }
}
