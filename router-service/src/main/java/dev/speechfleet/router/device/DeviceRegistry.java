package dev.speechfleet.router.device;

import dev.speechfleet.core.redis.RedisHashes;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.DeviceFields;
import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Devices in Redis: the {@code device:{id}} hashes and the index of their ids. Blocking calls. */
@ApplicationScoped
public class DeviceRegistry {

    /** Creates the hash only if the device does not exist yet (one key, so atomic on Cluster too). */
    private static final String CREATE_IF_ABSENT = DeviceFields.LUA_LOCALS + """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], TOKEN_HASH, ARGV[1], POLICY, ARGV[2], ENABLED, YES, CREATED_AT, ARGV[3],
                PROVIDERS, ARGV[4])
            return 1""";

    /** Changes fields only of a device that exists. */
    private static final String UPDATE_IF_PRESENT = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[1], unpack(ARGV))
            return 1""";

    private final RedisStreams redis;

    DeviceRegistry(RedisStreams redis) {
        this.redis = redis;
    }

    /** Creates a device with the given token hash and providers (empty: all); false when the id is taken. */
    public boolean create(String deviceId, String tokenHash, String policy, List<String> providers, long nowMillis) {
        long created = redis.send(Request.cmd(Command.EVAL).arg(CREATE_IF_ABSENT).arg(1)
                .arg(StreamKeys.device(deviceId)).arg(tokenHash).arg(policy == null ? "" : policy).arg(nowMillis)
                .arg(String.join(",", providers))).toLong();
        redis.send(Request.cmd(Command.SADD).arg(StreamKeys.DEVICES).arg(deviceId));
        return created == 1;
    }

    public Optional<DeviceRecord> find(String deviceId) {
        Map<String, String> fields = RedisHashes.getAll(redis, StreamKeys.device(deviceId));
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        String policy = fields.getOrDefault(DeviceFields.POLICY, "");
        return Optional.of(new DeviceRecord(deviceId, fields.getOrDefault(DeviceFields.TOKEN_HASH, ""),
                policy.isEmpty() ? Optional.empty() : Optional.of(policy),
                DeviceFields.YES.equals(fields.get(DeviceFields.ENABLED)), parseLong(fields.get(DeviceFields.CREATED_AT)),
                providers(fields.get(DeviceFields.PROVIDERS))));
    }

    /** Every device of the index, sorted by id; ids whose hash is gone are dropped from the index. */
    public List<DeviceRecord> list() {
        List<String> ids = new ArrayList<>();
        redis.send(Request.cmd(Command.SMEMBERS).arg(StreamKeys.DEVICES)).forEach(r -> ids.add(r.toString()));
        ids.sort(String::compareTo);
        List<DeviceRecord> devices = new ArrayList<>(ids.size());
        for (String id : ids) {
            find(id).ifPresentOrElse(devices::add,
                    () -> redis.send(Request.cmd(Command.SREM).arg(StreamKeys.DEVICES).arg(id)));
        }
        return devices;
    }

    /** Removes the token and disables the device; false when it does not exist. */
    public boolean revoke(String deviceId) {
        return update(deviceId, DeviceFields.TOKEN_HASH, "", DeviceFields.ENABLED, DeviceFields.NO);
    }

    /** Gives the device a new token and enables it; false when it does not exist. */
    public boolean replaceToken(String deviceId, String tokenHash) {
        return update(deviceId, DeviceFields.TOKEN_HASH, tokenHash, DeviceFields.ENABLED, DeviceFields.YES);
    }

    /** Sets the device's default policy; false when it does not exist. */
    public boolean setPolicy(String deviceId, String policy) {
        return update(deviceId, DeviceFields.POLICY, policy);
    }

    /** Sets the providers the device may use (empty: all); false when it does not exist. */
    public boolean setProviders(String deviceId, List<String> providers) {
        return update(deviceId, DeviceFields.PROVIDERS, String.join(",", providers));
    }

    private static List<String> providers(String commaList) {
        if (commaList == null || commaList.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(commaList.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
    }

    private boolean update(String deviceId, String... fieldValues) {
        Request request = Request.cmd(Command.EVAL).arg(UPDATE_IF_PRESENT).arg(1).arg(StreamKeys.device(deviceId));
        for (String value : fieldValues) {
            request.arg(value);
        }
        return redis.send(request).toLong() == 1;
    }

    private static long parseLong(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
