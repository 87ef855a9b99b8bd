package dev.speechfleet.router.device;

import dev.speechfleet.router.transport.InboundBacklog;
import dev.speechfleet.router.transport.LoadShedder;
import dev.speechfleet.router.transport.MessageSizeLimit;
import dev.speechfleet.router.transport.SocketAborts;
import io.quarkus.vertx.VertxContextSupport;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * Authenticates a device before the WebSocket upgrade: no valid token, no socket (HTTP 401); an
 * address that failed too often gets HTTP 429 before any lookup ({@link AuthFailureLimiter}); an
 * instance at its capacity answers HTTP 503 with {@code Retry-After} ({@link LoadShedder}), after
 * authentication so that shedding tells nothing to a client without a token. Runs on the event loop,
 * so a cache miss reads Redis on a worker thread; the answer always comes back on the event loop,
 * because Quarkus upgrades the socket on the thread the answer arrives on (see {@link #perform}).
 */
@ApplicationScoped
public class DeviceUpgradeCheck implements HttpUpgradeCheck {

    /** Endpoint id of the device socket. */
    public static final String ENDPOINT_ID = "device-socket";
    /** The device socket's path parameter naming the device ({@code /ws/{device_id}}). */
    public static final String DEVICE_ID_PARAM = "device_id";
    /** The authenticated device's default policy, handed to the socket (empty when it has none). */
    public static final UserData.TypedKey<String> DEVICE_POLICY = UserData.TypedKey.forString("device-policy");
    /** The providers the authenticated device may use, a comma list (empty for every provider). */
    public static final UserData.TypedKey<String> DEVICE_PROVIDERS = UserData.TypedKey.forString("device-providers");

    private static final Logger LOG = Logger.getLogger(DeviceUpgradeCheck.class);
    private static final String BEARER = "Bearer ";

    private final DeviceAuthenticator authenticator;
    private final MessageSizeLimit messageSize;
    private final AuthFailureLimiter failures;
    private final LoadShedder shedder;
    private final SocketAborts aborts;

    DeviceUpgradeCheck(DeviceAuthenticator authenticator, MessageSizeLimit messageSize, AuthFailureLimiter failures,
            LoadShedder shedder, SocketAborts aborts) {
        this.authenticator = authenticator;
        this.messageSize = messageSize;
        this.failures = failures;
        this.shedder = shedder;
        this.aborts = aborts;
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return ENDPOINT_ID.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String address = remoteAddress(context);
        OptionalLong retryAfter = failures.retryAfterSeconds(address);
        if (retryAfter.isPresent()) {
            return CheckResult.rejectUpgrade(429, Map.of("Retry-After", List.of(String.valueOf(retryAfter.getAsLong()))));
        }
        String deviceId = context.pathParam(DEVICE_ID_PARAM);
        String token = presentedToken(context);
        if (!DeviceTokens.isValidDeviceId(deviceId) || token == null || authenticator.knownUnknown(deviceId)) {
            failures.failed(address);
            return CheckResult.rejectUpgrade(401);
        }
        Optional<DeviceRecord> cached = authenticator.cached(deviceId);
        if (cached.isPresent()) {
            return Uni.createFrom().item(decide(context, cached, token));
        }
        // Only the Redis read runs on a worker: an answer from a worker thread would make Quarkus answer
        // the upgrade there and install the socket's message handlers one event-loop turn after the
        // 101, and Vert.x drops a message that arrives in between (a device's start, sent at once).
        return VertxContextSupport.executeBlocking(() -> authenticator.lookup(deviceId))
                .map(device -> decide(context, device, token))
                .onFailure().recoverWithItem(error -> {
                    LOG.warnf("cannot check device %s: %s", deviceId, error.getMessage());
                    return CheckResult.rejectUpgradeSync(503);
                });
    }

    private CheckResult decide(HttpUpgradeContext context, Optional<DeviceRecord> device, String token) {
        if (device.isEmpty() || !device.get().accepts(token)) {
            failures.failed(remoteAddress(context));
            return CheckResult.rejectUpgradeSync(401);
        }
        Optional<LoadShedder.Refusal> shed = shedder.check();
        if (shed.isPresent()) {
            return CheckResult.rejectUpgradeSync(503,
                    Map.of("Retry-After", List.of(String.valueOf(shed.get().retryAfterSeconds()))));
        }
        context.userData().put(DEVICE_POLICY, device.get().policy().orElse(""));
        context.userData().put(DEVICE_PROVIDERS, String.join(",", device.get().providers()));
        context.userData().put(InboundBacklog.KEY, messageSize.guard(context.httpRequest()));
        context.userData().put(SocketAborts.KEY, aborts.of(context.httpRequest()));
        return CheckResult.permitUpgradeSync();
    }

    private static String remoteAddress(HttpUpgradeContext context) {
        var address = context.httpRequest().remoteAddress();
        return address == null ? "unknown" : address.hostAddress();
    }

    /** {@code Authorization: Bearer …}, or {@code ?token=} for clients that cannot set headers. */
    private static String presentedToken(HttpUpgradeContext context) {
        String header = context.httpRequest().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String token = header.substring(BEARER.length()).trim();
            return token.isEmpty() ? null : token;
        }
        String query = context.httpRequest().getParam("token");
        return query == null || query.isEmpty() ? null : query;
    }
}
