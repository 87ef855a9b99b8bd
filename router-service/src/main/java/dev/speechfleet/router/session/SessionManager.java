package dev.speechfleet.router.session;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.RedisUnavailableException;
import dev.speechfleet.router.admin.DeviceRevoked;
import dev.speechfleet.router.config.RouterConfig;
import dev.speechfleet.router.delivery.ResultOutbox;
import dev.speechfleet.router.delivery.ResultPump;
import dev.speechfleet.router.device.DeviceUpgradeCheck;
import dev.speechfleet.router.protocol.ClientMessage;
import dev.speechfleet.router.protocol.ClientMessageParser;
import dev.speechfleet.router.protocol.ProtocolError;
import dev.speechfleet.router.protocol.ProtocolViolation;
import dev.speechfleet.router.protocol.ServerMessages;
import dev.speechfleet.router.routing.LiveFigures;
import dev.speechfleet.router.routing.RouteChooser;
import dev.speechfleet.router.routing.RouteDecision;
import dev.speechfleet.router.routing.RoutingPolicy;
import dev.speechfleet.router.routing.RoutingWeights;
import dev.speechfleet.router.routing.UtteranceDispatcher;
import dev.speechfleet.router.vad.Utterance;
import dev.speechfleet.router.vad.UtteranceSegmenter;
import dev.speechfleet.router.vad.VadSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The device protocol behind the socket endpoint: start (new or resumed), audio through the VAD to
 * the dispatcher, flush, stop; bad input, limits and revocations. Every failure of one session
 * stays in that session.
 */
@ApplicationScoped
public class SessionManager {

    private static final Logger LOG = Logger.getLogger(SessionManager.class);

    private final RouterConfig config;
    private final SessionRegistry registry;
    private final SessionStore store;
    private final UtteranceDispatcher dispatcher;
    private final StartValidator validator;
    private final ResultPump pump;
    private final VadSettings vad;
    private final MeterRegistry meters;
    private ScheduledExecutorService limitChecker;

    SessionManager(RouterConfig config, SessionRegistry registry, RedisStreams redis, LiveFigures figures,
            ResultPump pump, MeterRegistry meters) {
        this.config = config;
        this.registry = registry;
        this.store = new SessionStore(redis, config.session().ttl());
        RouteChooser chooser = new RouteChooser(config.routing().providers(), RoutingWeights.from(config.routing()));
        this.dispatcher = new UtteranceDispatcher(redis, chooser, figures::snapshot, config.session().blobSafetyTtl());
        this.validator = new StartValidator(config, chooser, figures::snapshot);
        this.pump = pump;
        this.vad = VadSettings.from(config.vad());
        this.meters = meters;
        meters.gaugeCollectionSize("router.sessions.open", java.util.List.of(), registry.sessions());
    }

    void onStart(@Observes StartupEvent event) {
        limitChecker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("session-limits")
                .daemon().factory());
        long every = config.limits().checkInterval().toMillis();
        limitChecker.scheduleWithFixedDelay(this::enforceLimits, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (limitChecker != null) {
            limitChecker.shutdownNow();
        }
    }

    public void opened(WebSocketConnection connection) {
        register(connection);
    }

    private DeviceSession register(WebSocketConnection connection) {
        return registry.register(connection.id(), () -> new DeviceSession(connection,
                connection.pathParam("device_id"), connection.userData().get(DeviceUpgradeCheck.DEVICE_POLICY),
                System.nanoTime()));
    }

    public void text(WebSocketConnection connection, String text) {
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

    public void binary(WebSocketConnection connection, byte[] frame) {
        withSession(connection, session -> audio(session, frame));
    }

    /** The socket closed: an interrupted utterance is still sent, so a resume replays its transcript. */
    public void closed(WebSocketConnection connection) {
        registry.byConnection(connection.id()).ifPresent(session -> {
            boolean wasActive = session.state() == DeviceSession.State.ACTIVE;
            registry.closed(session);
            session.markClosed();
            if (wasActive) {
                try {
                    session.segmenter().flush().ifPresent(u -> dispatch(session, u));
                    store.savePosition(session.sessionId(), session.segmenter().positionMs());
                } catch (RuntimeException e) {
                    LOG.warnf("last utterance of %s was lost at disconnect: %s", session.sessionId(), e.getMessage());
                }
            }
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
        String sessionId = start.sessionId().orElseGet(() -> UUID.randomUUID().toString());
        StoredSession stored = start.sessionId().isPresent() ? resumable(session, sessionId) : null;
        if (registry.startedSessionsOf(session.deviceId(), sessionId) >= config.limits().maxSessionsPerDevice()) {
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
        }
        long firstSeq = start.lastSeq().orElse(-1) + 1;
        ResultOutbox outbox = new ResultOutbox(stored == null ? 0 : firstSeq, stored == null ? 0 : stored.nextSeq(),
                config.delivery().holdTimeout().toMillis());
        session.started(sessionId, new UtteranceDispatcher.Route(sessionId, session.deviceId(), start.sampleRate(),
                start.language(), policy, start.consensus(), start.keyterms()), new UtteranceSegmenter(vad, start.sampleRate(), stored == null ? 0 : stored.audioMs()),
                outbox,
                System.nanoTime());
        registry.bind(sessionId, session).ifPresent(old -> old.fail(ProtocolError.SESSION_REPLACED,
                "session " + sessionId + " was resumed on another socket"));
        session.send(ServerMessages.ready(sessionId, stored != null));
        pump.watch(sessionId);
    }

    private StoredSession resumable(DeviceSession session, String sessionId) {
        return store.load(sessionId).filter(s -> s.deviceId().equals(session.deviceId()))
                .orElseThrow(() -> new ProtocolViolation(ProtocolError.UNKNOWN_SESSION,
                        "session " + sessionId + " does not exist for this device (expired or never started)"));
    }

    private void audio(DeviceSession session, byte[] frame) {
        if (session.state() != DeviceSession.State.ACTIVE) {
            throw new ProtocolViolation(ProtocolError.NOT_STARTED, "send start before audio");
        }
        int sampleRate = session.route().sampleRate();
        if (frame.length % 2 != 0) {
            throw new ProtocolViolation(ProtocolError.INVALID_FRAME, "a frame must hold whole 16-bit samples");
        }
        long frameMs = frame.length * 1000L / (2L * sampleRate);
        if (frameMs > config.limits().maxFrameMs()) {
            throw new ProtocolViolation(ProtocolError.FRAME_TOO_LARGE, "frame of " + frameMs
                    + " ms exceeds the limit of " + config.limits().maxFrameMs() + " ms");
        }
        checkPace(session, session.addAudio(frame.length));
        for (Utterance utterance : session.segmenter().feed(frame)) {
            dispatch(session, utterance);
        }
    }

    /** Audio may run ahead of the wall clock only by the configured burst and factor. */
    private void checkPace(DeviceSession session, long audioMs) {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - session.startedNanos());
        long allowedMs = (long) (elapsedMs * config.limits().maxRealTimeFactor())
                + config.limits().maxAudioAhead().toMillis();
        if (audioMs > allowedMs) {
            throw new ProtocolViolation(ProtocolError.TOO_FAST, "received " + audioMs + " ms of audio in "
                    + elapsedMs + " ms; stream it at real time");
        }
    }

    private void flush(DeviceSession session) {
        if (session.state() != DeviceSession.State.ACTIVE) {
            throw new ProtocolViolation(ProtocolError.NOT_STARTED, "send start before flush");
        }
        Optional<Utterance> cut = session.segmenter().flush();
        LOG.debugf("flush of %s at %d ms cut %s", session.sessionId(), session.segmenter().positionMs(), cut);
        cut.ifPresent(u -> dispatch(session, u));
    }

    private void stop(DeviceSession session) {
        if (session.state() != DeviceSession.State.ACTIVE) {
            throw new ProtocolViolation(ProtocolError.NOT_STARTED, "send start before stop");
        }
        session.segmenter().flush().ifPresent(u -> dispatch(session, u));
        session.stopping(System.nanoTime());
        store.end(session.sessionId(), System.currentTimeMillis());
        pump.watch(session.sessionId());
    }

    private void dispatch(DeviceSession session, Utterance utterance) {
        long seq = store.takeSeq(session.sessionId(), utterance.endMs());
        RouteDecision decision = dispatcher.dispatch(session.route(), seq, utterance);
        session.outbox().issued(seq);
        meters.counter("router.utterances", "provider", String.join("+", decision.providers())).increment();
    }

    private void enforceLimits() {
        long now = System.nanoTime();
        long idle = config.limits().idleTimeout().toNanos();
        long maxDuration = config.limits().maxDuration().toNanos();
        for (DeviceSession session : registry.sockets()) {
            if (session.state() == DeviceSession.State.CLOSED && session.connectionClosed()) {
                registry.closed(session); // a message that raced the close re-registered it
                continue;
            }
            try {
                if (session.state() == DeviceSession.State.ACTIVE && now - session.startedNanos() > maxDuration) {
                    session.fail(ProtocolError.MAX_DURATION, "the session reached its maximum duration of "
                            + config.limits().maxDuration());
                } else if (session.state() != DeviceSession.State.STOPPING && now - session.lastActivityNanos() > idle) {
                    session.fail(ProtocolError.IDLE_TIMEOUT, "nothing received for " + config.limits().idleTimeout());
                }
            } catch (RuntimeException e) {
                LOG.warnf("limit check of %s failed: %s", session.connectionId(), e.getMessage());
            }
        }
    }
}
