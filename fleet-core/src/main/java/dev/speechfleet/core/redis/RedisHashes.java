package dev.speechfleet.core.redis;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** Hash replies as plain maps: the one parser of {@code HGETALL} (and script) replies, RESP2 or RESP3. */
public final class RedisHashes {

    private RedisHashes() {
    }

    /** {@code HGETALL key}: field to value, in Redis' order; empty when the key does not exist. */
    public static Map<String, String> getAll(RedisStreams redis, String key) {
        return fields(redis.send(Request.cmd(Command.HGETALL).arg(key)));
    }

    /**
     * A hash reply (a RESP3 map, or a flat {@code [field, value, …]} array in RESP2) as field to value;
     * empty for a nil reply.
     */
    public static Map<String, String> fields(Response reply) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (reply != null) {
            RedisStreams.asMap(reply)
                    .forEach((field, value) -> fields.put(field, value == null ? "" : value.toString()));
        }
        return fields;
    }
}
