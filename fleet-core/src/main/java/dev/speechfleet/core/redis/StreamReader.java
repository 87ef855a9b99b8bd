package dev.speechfleet.core.redis;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Blocking {@code XREADGROUP} on a connection of its own, so that a reader waiting on an empty stream
 * never holds a connection of the shared pool. Reconnects on the next read after a failure. Not
 * thread-safe: one reader per polling thread.
 */
public final class StreamReader implements AutoCloseable {

    private final Redis redis;
    private final Duration commandTimeout;
    private volatile RedisConnection connection;

    StreamReader(Redis redis, Duration commandTimeout) {
        this.redis = redis;
        this.commandTimeout = commandTimeout;
    }

    /**
     * {@code XREADGROUP GROUP group consumer COUNT count BLOCK block STREAMS key id}. With id
     * {@code >} it returns new entries; with {@code 0} the consumer's own pending entries.
     */
    public List<StreamEntry> readGroup(String key, String group, String consumer, int count, Duration block,
            String id) {
        Request request = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(group).arg(consumer)
                .arg("COUNT").arg(count);
        if (block != null) {
            request.arg("BLOCK").arg(block.toMillis());
        }
        request.arg("STREAMS").arg(key).arg(id);
        Duration wait = block == null ? commandTimeout : commandTimeout.plus(block);
        try {
            return parse(RedisStreams.await(connection().send(request), wait));
        } catch (RedisUnavailableException e) {
            dropConnection();
            throw e;
        }
    }

    /** Parses an {@code XREADGROUP} reply (RESP2 array or RESP3 map); empty for a nil reply. */
    static List<StreamEntry> parse(Response reply) {
        if (reply == null) {
            return List.of();
        }
        List<StreamEntry> entries = new ArrayList<>();
        if (reply.isMap()) {
            for (String stream : reply.getKeys()) {
                entries.addAll(RedisStreams.parseEntries(reply.get(stream)));
            }
            return entries;
        }
        for (Response stream : reply) {
            entries.addAll(RedisStreams.parseEntries(stream.get(1)));
        }
        return entries;
    }

    private RedisConnection connection() {
        if (connection == null) {
            connection = RedisStreams.await(redis.connect(), commandTimeout);
            connection.exceptionHandler(error -> dropConnection());
        }
        return connection;
    }

    private synchronized void dropConnection() {
        RedisConnection current = connection;
        connection = null;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public void close() {
        dropConnection();
    }
}
