package dev.speechfleet.router.device;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A check that runs after {@link DeviceUpgradeCheck} (checks run in descending priority; that one has
 * the default, 0) and permits every upgrade. It records, per device, whether the chain of checks
 * reached it on an event-loop thread: the thread that reaches it is the one on which Quarkus goes on
 * to upgrade the socket and install its message handlers.
 */
@Singleton
@Priority(-1)
public class UpgradeContinuationProbe implements HttpUpgradeCheck {

    private final Map<String, Boolean> onEventLoop = new ConcurrentHashMap<>();

    @Override
    public boolean appliesTo(String endpointId) {
        return DeviceUpgradeCheck.ENDPOINT_ID.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        onEventLoop.put(context.pathParam(DeviceUpgradeCheck.DEVICE_ID_PARAM), Context.isOnEventLoopThread());
        return CheckResult.permitUpgrade();
    }

    /** Whether the last upgrade of {@code deviceId} went on on an event loop; empty when none reached this check. */
    Optional<Boolean> continuedOnEventLoop(String deviceId) {
        return Optional.ofNullable(onEventLoop.get(deviceId));
    }
}
