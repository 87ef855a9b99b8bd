package dev.speechfleet.router.device;

import dev.speechfleet.router.config.RouterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Failed authentications per remote address, device sockets and admin API alike: a token bucket of
 * {@code router.auth.max-failures} refilled over {@code failure-window}. An address with no failure
 * left is answered HTTP 429 before anything is looked up. At most {@code failure-addresses} addresses
 * are tracked, the least recently failing forgotten first, so that memory stays bounded whatever the
 * number of addresses an attacker has. Behind a proxy, the remote address is the client's only when
 * Quarkus is told to trust the proxy's forwarding headers ({@code quarkus.http.proxy.*}).
 */
@ApplicationScoped
public class AuthFailureLimiter {

    private static final class Bucket {
        double tokens;
        long refilledAtNanos;

        Bucket(double tokens, long nowNanos) {
            this.tokens = tokens;
            this.refilledAtNanos = nowNanos;
        }
    }

    private final double capacity;
    private final double tokensPerNano;
    private final Map<String, Bucket> buckets;
    private final Counter refused;

    AuthFailureLimiter(RouterConfig config, MeterRegistry meters) {
        this.capacity = config.auth().maxFailures();
        this.tokensPerNano = capacity / config.auth().failureWindow().toNanos();
        int maxAddresses = config.auth().failureAddresses();
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxAddresses;
            }
        };
        this.refused = meters.counter("router.auth.rate_limited");
    }

    /** When {@code address} has used up its failures: the seconds until it may try again; else empty. */
    public synchronized OptionalLong retryAfterSeconds(String address) {
        Bucket bucket = buckets.get(address);
        if (bucket == null) {
            return OptionalLong.empty();
        }
        refill(bucket, System.nanoTime());
        if (bucket.tokens >= 1) {
            return OptionalLong.empty();
        }
        refused.increment();
        return OptionalLong.of(Math.max(1, (long) Math.ceil((1 - bucket.tokens) / tokensPerNano / 1e9)));
    }

    /** Counts a failed authentication from {@code address}. */
    public synchronized void failed(String address) {
        long now = System.nanoTime();
        Bucket bucket = buckets.computeIfAbsent(address, a -> new Bucket(capacity, now));
        refill(bucket, now);
        bucket.tokens = Math.max(0, bucket.tokens - 1);
    }

    /** How many addresses are tracked now. */
    public synchronized int trackedAddresses() {
        return buckets.size();
    }

    private void refill(Bucket bucket, long nowNanos) {
        bucket.tokens = Math.min(capacity, bucket.tokens + (nowNanos - bucket.refilledAtNanos) * tokensPerNano);
        bucket.refilledAtNanos = nowNanos;
    }
}
