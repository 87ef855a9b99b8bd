package dev.speechfleet.router.delivery;

import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The router's one pub/sub subscription to {@code transcription:results:notify}, on a connection of
 * its own (a subscribed connection cannot run other commands). A lost connection is re-established
 * by the next sweep; what was published meanwhile is found by the sweep's reads.
 */
final class ResultNotifications {

    private static final Logger LOG = Logger.getLogger(ResultNotifications.class);

    private final Redis redis;
    private final Consumer<String> onSession;
    private volatile RedisConnection connection;
    private volatile boolean connecting;
    private volatile boolean stopped;
    private final java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();

    ResultNotifications(Redis redis, Consumer<String> onSession) {
        this.redis = redis;
        this.onSession = onSession;
    }

    void start() {
        ensureSubscribed();
    }

    long received() {
        return received.get();
    }

    boolean subscribed() {
        return connection != null;
    }

    /** Subscribes unless subscribed or already trying. */
    synchronized void ensureSubscribed() {
        if (stopped || connection != null || connecting) {
            return;
        }
        connecting = true;
        redis.connect().onSuccess(this::subscribe).onFailure(e -> {
            connecting = false;
            LOG.warnf("cannot connect for result notifications, retrying at the next sweep: %s", e.getMessage());
        });
    }

    void stop() {
        stopped = true;
        RedisConnection current = connection;
        connection = null;
        if (current != null) {
            current.close();
        }
    }

    private void subscribe(RedisConnection conn) {
        conn.handler(this::onMessage);
        conn.exceptionHandler(e -> dropped(conn, e.getMessage()));
        conn.endHandler(ignored -> dropped(conn, "connection closed"));
        conn.send(Request.cmd(Command.SUBSCRIBE).arg(StreamKeys.RESULTS_NOTIFY_CHANNEL)).onSuccess(ok -> {
            connection = conn;
            connecting = false;
            if (stopped) {
                stop();
            }
        }).onFailure(e -> {
            connecting = false;
            conn.close();
            LOG.warnf("cannot subscribe to result notifications, retrying at the next sweep: %s", e.getMessage());
        });
    }

    private void onMessage(Response message) {
        // RESP3 delivers a push, RESP2 an array: both are [message, channel, payload].
        if ((message.type() != ResponseType.PUSH && message.type() != ResponseType.MULTI) || message.size() < 3) {
            return;
        }
        if ("message".equals(message.get(0).toString())) {
            received.incrementAndGet();
            onSession.accept(message.get(2).toString());
        }
    }

    private void dropped(RedisConnection conn, String why) {
        if (connection == conn) {
            connection = null;
            LOG.warnf("result notification subscription lost (%s); the sweep re-subscribes", why);
        }
    }
}
