package dev.speechfleet.core.redis;

import dev.speechfleet.core.config.FleetConfig;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes {@link RedisStreams} injectable, over the client configured by {@code quarkus.redis.*}. */
public class RedisStreamsProducer {

    @Produces
    @Singleton
    RedisStreams redisStreams(Redis redis, FleetConfig config) {
        return new RedisStreams(redis, config.redis().commandTimeout());
    }
}
