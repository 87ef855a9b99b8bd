package dev.speechfleet.core.redis;

import dev.speechfleet.core.stream.EntryFields;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocking access to the stream commands the fleet uses, over the Vert.x Redis client that
 * {@code quarkus-redis-client} configures (standalone, sentinel or cluster; TLS and ACL users through
 * {@code quarkus.redis.hosts}). Values are raw bytes so audio stays binary.
 *
 * <p>Calls block the calling thread and must not be made from a Vert.x event loop. Replies are
 * parsed in both RESP2 and RESP3 shapes.
 */
public final class RedisStreams {

    private static final Command XAUTOCLAIM = Command.create("XAUTOCLAIM");

    private final Redis redis;
    private final Duration timeout;

    public RedisStreams(Redis redis, Duration commandTimeout) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.timeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
    }

    public Redis client() {
        return redis;
    }

    public Duration commandTimeout() {
        return timeout;
    }

    /** Sends one command and waits for its reply. */
    public Response send(Request request) {
        return await(redis.send(request), timeout);
    }

    /** {@code XADD key * field value …}; returns the new id. */
    public String add(String key, EntryFields fields) {
        Request request = Request.cmd(Command.XADD).arg(key).arg("*");
        return send(withFields(request, fields)).toString();
    }

    /** {@code XADD key MAXLEN ~ maxLen * field value …}: for capped global streams. */
    public String addCapped(String key, EntryFields fields, long maxLen) {
        return send(cappedAdd(key, fields, maxLen)).toString();
    }

    /** The request of {@link #addCapped}, to send with others. */
    public static Request cappedAdd(String key, EntryFields fields, long maxLen) {
        Request request = Request.cmd(Command.XADD).arg(key).arg("MAXLEN").arg("~").arg(maxLen).arg("*");
        return withFields(request, fields);
    }

    /**
     * Sends every request at once and waits for all replies, in the order given: one wait instead of
     * one per command. The requests may run in any order (on different connections of the pool, or
     * nodes of a cluster), so they must not depend on each other. The first failure is thrown.
     */
    public List<Response> sendAll(List<Request> requests) {
        List<Future<Response>> sent = new ArrayList<>(requests.size());
        requests.forEach(request -> sent.add(redis.send(request)));
        List<Response> replies = new ArrayList<>(sent.size());
        for (Future<Response> reply : sent) {
            replies.add(await(reply, timeout));
        }
        return replies;
    }

    /** {@code XGROUP CREATE key group 0 MKSTREAM}; returns false when the group already exists. */
    public boolean createGroup(String key, String group) {
        try {
            send(Request.cmd(Command.XGROUP).arg("CREATE").arg(key).arg(group).arg("0").arg("MKSTREAM"));
            return true;
        } catch (RedisCommandException e) {
            if (e.getMessage() != null && e.getMessage().contains("BUSYGROUP")) {
                return false;
            }
            throw e;
        }
    }

    /** {@code XACK}; returns how many entries were acknowledged. */
    public long ack(String key, String group, List<String> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        Request request = Request.cmd(Command.XACK).arg(key).arg(group);
        ids.forEach(request::arg);
        return send(request).toLong();
    }

    /** {@code XAUTOCLAIM key group consumer minIdle start COUNT count}. */
    public StreamInfo.AutoClaim autoClaim(String key, String group, String consumer, Duration minIdle, String start,
            int count) {
        Response reply = send(Request.cmd(XAUTOCLAIM).arg(key).arg(group).arg(consumer).arg(minIdle.toMillis())
                .arg(start).arg("COUNT").arg(count));
        List<String> deleted = new ArrayList<>();
        if (reply.size() > 2 && reply.get(2) != null) {
            reply.get(2).forEach(id -> deleted.add(id.toString()));
        }
        return new StreamInfo.AutoClaim(reply.get(0).toString(), parseEntries(reply.get(1)), deleted);
    }

    /** The extended {@code XPENDING key group [IDLE ms] start end count [consumer]}. */
    public List<StreamInfo.Pending> pending(String key, String group, String start, String end, int count,
            String consumer) {
        Request request = Request.cmd(Command.XPENDING).arg(key).arg(group).arg(start).arg(end).arg(count);
        if (consumer != null) {
            request.arg(consumer);
        }
        List<StreamInfo.Pending> pending = new ArrayList<>();
        for (Response line : send(request)) {
            pending.add(new StreamInfo.Pending(line.get(0).toString(), line.get(1).toString(), line.get(2).toLong(),
                    line.get(3).toLong()));
        }
        return pending;
    }

    /** The extended {@code XPENDING key group IDLE minIdle - + count}: pending entries idle at least {@code minIdle}. */
    public List<StreamInfo.Pending> pendingIdle(String key, String group, Duration minIdle, int count) {
        List<StreamInfo.Pending> pending = new ArrayList<>();
        for (Response line : send(Request.cmd(Command.XPENDING).arg(key).arg(group).arg("IDLE").arg(minIdle.toMillis())
                .arg("-").arg("+").arg(count))) {
            pending.add(new StreamInfo.Pending(line.get(0).toString(), line.get(1).toString(), line.get(2).toLong(),
                    line.get(3).toLong()));
        }
        return pending;
    }

    /**
     * {@code XCLAIM key group consumer minIdle id…}: takes the entries still idle at least
     * {@code minIdle} (checked per entry by Redis, so concurrent claimers never both get one).
     * Entries deleted meanwhile are dropped from the pending list by Redis and not returned.
     */
    public List<StreamEntry> claim(String key, String group, String consumer, Duration minIdle,
            java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Request request = Request.cmd(Command.XCLAIM).arg(key).arg(group).arg(consumer).arg(minIdle.toMillis());
        ids.forEach(request::arg);
        return parseEntries(send(request));
    }

    /** The summary form of {@code XPENDING key group}. */
    public StreamInfo.PendingSummary pendingSummary(String key, String group) {
        Response reply = send(Request.cmd(Command.XPENDING).arg(key).arg(group));
        long count = reply.get(0).toLong();
        return new StreamInfo.PendingSummary(count, count == 0 || reply.get(1) == null ? null : reply.get(1).toString());
    }

    /** {@code XINFO GROUPS key}; empty when the stream does not exist. */
    public List<StreamInfo.Group> groups(String key) {
        Response reply;
        try {
            reply = send(Request.cmd(Command.XINFO).arg("GROUPS").arg(key));
        } catch (RedisCommandException e) {
            if (e.getMessage() != null && e.getMessage().contains("no such key")) {
                return List.of();
            }
            throw e;
        }
        List<StreamInfo.Group> groups = new ArrayList<>();
        for (Response line : reply) {
            Map<String, Response> info = asMap(line);
            Response lag = info.get("lag");
            groups.add(new StreamInfo.Group(info.get("name").toString(), info.get("consumers").toLong(),
                    info.get("pending").toLong(), info.get("last-delivered-id").toString(),
                    lag == null ? -1 : lag.toLong()));
        }
        return groups;
    }

    /** {@code XINFO CONSUMERS key group}. */
    public List<StreamInfo.Consumer> consumers(String key, String group) {
        List<StreamInfo.Consumer> consumers = new ArrayList<>();
        for (Response line : send(Request.cmd(Command.XINFO).arg("CONSUMERS").arg(key).arg(group))) {
            Map<String, Response> info = asMap(line);
            consumers.add(new StreamInfo.Consumer(info.get("name").toString(), info.get("pending").toLong(),
                    info.get("idle").toLong()));
        }
        return consumers;
    }

    /** {@code XTRIM key MINID [~] minId}: removes entries with an id below {@code minId}. */
    public long trimBelow(String key, String minId, boolean approximate) {
        Request request = Request.cmd(Command.XTRIM).arg(key).arg("MINID");
        if (approximate) {
            request.arg("~");
        }
        return send(request.arg(minId)).toLong();
    }

    /**
     * Trims {@code key} below its oldest unacknowledged entry, over every group on it: below the
     * oldest pending entry of a group, or, when a group has nothing pending, below the first entry it
     * has not been delivered yet. A stream without groups is left alone (nobody has read it).
     * Approximate ({@code ~}) trimming only ever removes less. Returns how many entries went.
     */
    public long trimAcknowledged(String key) {
        String keepFrom = null;
        for (StreamInfo.Group group : groups(key)) {
            // last-delivered-id is read before XPENDING: anything delivered in between has a higher id.
            StreamInfo.PendingSummary pending = pendingSummary(key, group.name());
            String groupKeepFrom = pending.lowestId() != null ? pending.lowestId()
                    : StreamIds.next(group.lastDeliveredId());
            keepFrom = keepFrom == null ? groupKeepFrom : StreamIds.min(keepFrom, groupKeepFrom);
        }
        return keepFrom == null ? 0 : trimBelow(key, keepFrom, true);
    }

    /** {@code XCLAIM key group consumer 0 id… JUSTID}: resets the idle time of entries this consumer is still working on. */
    public void touch(String key, String group, String consumer, java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Request request = Request.cmd(Command.XCLAIM).arg(key).arg(group).arg(consumer).arg(0);
        ids.forEach(request::arg);
        send(request.arg("JUSTID"));
    }

    /** {@code XRANGE key start end COUNT count}. */
    public List<StreamEntry> range(String key, String start, String end, int count) {
        return parseEntries(send(rangeRequest(key, start, end, count)));
    }

    /**
     * One {@code XRANGE … COUNT count} per read, all sent at once (one wait instead of one per stream);
     * each outcome is its entries, or the failure of that read alone.
     */
    public List<Ranged> rangeEach(List<RangeRead> reads, int count) {
        List<Future<Response>> sent = new ArrayList<>(reads.size());
        reads.forEach(read -> sent.add(redis.send(rangeRequest(read.key(), read.start(), "+", count))));
        List<Ranged> outcomes = new ArrayList<>(sent.size());
        for (Future<Response> reply : sent) {
            try {
                outcomes.add(new Ranged(parseEntries(await(reply, timeout)), null));
            } catch (RuntimeException e) {
                outcomes.add(new Ranged(List.of(), e));
            }
        }
        return outcomes;
    }

    /** A read of {@link #rangeEach}: stream {@code key} from {@code start} ({@code -}, an id, or {@code (id}). */
    public record RangeRead(String key, String start) {
    }

    /** The outcome of one read of {@link #rangeEach}: its entries, or why it failed ({@code null} when it did not). */
    public record Ranged(List<StreamEntry> entries, RuntimeException failure) {
    }

    private static Request rangeRequest(String key, String start, String end, int count) {
        return Request.cmd(Command.XRANGE).arg(key).arg(start).arg(end).arg("COUNT").arg(count);
    }

    /** {@code XLEN key}. */
    public long length(String key) {
        return send(Request.cmd(Command.XLEN).arg(key)).toLong();
    }

    /** Opens a reader with its own connection for blocking reads. */
    public StreamReader openReader() {
        return new StreamReader(redis, timeout);
    }

    static Request withFields(Request request, EntryFields fields) {
        for (Map.Entry<String, byte[]> field : fields.asMap().entrySet()) {
            request.arg(field.getKey()).arg(field.getValue());
        }
        return request;
    }

    /** Parses {@code [[id, [field, value, …]], …]}; a nil field list marks a deleted entry. */
    static List<StreamEntry> parseEntries(Response entries) {
        List<StreamEntry> parsed = new ArrayList<>();
        if (entries == null) {
            return parsed;
        }
        for (Response entry : entries) {
            String id = entry.get(0).toString();
            Response raw = entry.size() > 1 ? entry.get(1) : null;
            if (raw == null) {
                parsed.add(new StreamEntry(id, null));
                continue;
            }
            Map<String, byte[]> values = new LinkedHashMap<>();
            for (int i = 0; i + 1 < raw.size(); i += 2) {
                Response value = raw.get(i + 1);
                values.put(raw.get(i).toString(), value == null ? new byte[0] : value.toBytes());
            }
            parsed.add(new StreamEntry(id, EntryFields.of(values)));
        }
        return parsed;
    }

    /** A map reply in RESP3, or a flat {@code [key, value, …]} array in RESP2, as a map. */
    static Map<String, Response> asMap(Response reply) {
        Map<String, Response> map = new LinkedHashMap<>();
        if (reply.isMap()) {
            for (String key : reply.getKeys()) {
                map.put(key, reply.get(key));
            }
            return map;
        }
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            map.put(reply.get(i).toString(), reply.get(i + 1));
        }
        return map;
    }

    static <T> T await(Future<T> future, Duration timeout) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisUnavailableException("interrupted while waiting for Redis", e);
        } catch (TimeoutException e) {
            throw new RedisUnavailableException("Redis did not answer within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof io.vertx.redis.client.impl.types.ErrorType error) {
                throw new RedisCommandException(error.getMessage(), error);
            }
            throw new RedisUnavailableException("Redis call failed: " + cause, cause);
        }
    }
}
