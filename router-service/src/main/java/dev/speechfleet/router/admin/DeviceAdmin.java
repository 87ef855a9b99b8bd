package dev.speechfleet.router.admin;

import dev.speechfleet.router.config.RouterConfig;
import dev.speechfleet.router.device.DeviceAuthenticator;
import dev.speechfleet.router.device.DeviceRecord;
import dev.speechfleet.router.device.DeviceRegistry;
import dev.speechfleet.router.device.DeviceTokens;
import dev.speechfleet.router.routing.RoutingPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.util.LinkedHashSet;
import java.util.List;

/** What the admin API does: devices, their tokens and default policies. */
@ApplicationScoped
public class DeviceAdmin {

    private final DeviceRegistry registry;
    private final DeviceAuthenticator authenticator;
    private final Event<DeviceRevoked> revoked;
    private final List<String> routable;

    DeviceAdmin(DeviceRegistry registry, DeviceAuthenticator authenticator, Event<DeviceRevoked> revoked,
            RouterConfig config) {
        this.registry = registry;
        this.authenticator = authenticator;
        this.revoked = revoked;
        this.routable = List.copyOf(config.routing().providers());
    }

    /** Creates a device; its token is in the answer and nowhere else. */
    public AdminDtos.DeviceWithToken create(AdminDtos.CreateDevice request) {
        if (request == null || !DeviceTokens.isValidDeviceId(request.deviceId())) {
            throw new AdminException(400, "invalid_device_id",
                    "device_id must be 1 to 64 letters, digits, '.', '_', ':' or '-'");
        }
        String policy = validPolicyOrEmpty(request.policy());
        List<String> providers = validProvidersOrAll(request.providers());
        String token = DeviceTokens.newToken();
        if (!registry.create(request.deviceId(), DeviceTokens.hash(token), policy, providers,
                System.currentTimeMillis())) {
            throw new AdminException(409, "device_exists", "device " + request.deviceId() + " already exists");
        }
        authenticator.invalidate(request.deviceId());
        return new AdminDtos.DeviceWithToken(request.deviceId(), token, policy, true, viewOf(providers));
    }

    public List<AdminDtos.DeviceView> list() {
        return registry.list().stream().map(DeviceAdmin::view).toList();
    }

    /** Revokes the token: the device cannot connect until it is given a new one; its open sockets close. */
    public void revoke(String deviceId) {
        if (!registry.revoke(deviceId)) {
            throw notFound(deviceId);
        }
        authenticator.invalidate(deviceId);
        revoked.fire(new DeviceRevoked(deviceId));
    }

    /** Issues a new token (the old one stops working) and enables the device. */
    public AdminDtos.DeviceWithToken rotate(String deviceId) {
        String token = DeviceTokens.newToken();
        if (!registry.replaceToken(deviceId, DeviceTokens.hash(token))) {
            throw notFound(deviceId);
        }
        authenticator.invalidate(deviceId);
        DeviceRecord device = registry.find(deviceId).orElseThrow(() -> notFound(deviceId));
        return new AdminDtos.DeviceWithToken(deviceId, token, device.policy().orElse(""), true,
                viewOf(device.providers()));
    }

    public AdminDtos.DeviceView setPolicy(String deviceId, AdminDtos.SetPolicy request) {
        String policy = request == null ? null : request.policy();
        if (policy == null || RoutingPolicy.fromWire(policy).isEmpty()) {
            throw invalidPolicy(policy);
        }
        if (!registry.setPolicy(deviceId, policy)) {
            throw notFound(deviceId);
        }
        authenticator.invalidate(deviceId);
        return view(registry.find(deviceId).orElseThrow(() -> notFound(deviceId)));
    }

    /** Limits the providers the device may use (consensus and routing alike); null for every provider. */
    public AdminDtos.DeviceView setProviders(String deviceId, AdminDtos.SetProviders request) {
        if (request == null) {
            throw invalidProviders("send {\"providers\": [names]} or {\"providers\": null} for every provider");
        }
        if (!registry.setProviders(deviceId, validProvidersOrAll(request.providers()))) {
            throw notFound(deviceId);
        }
        authenticator.invalidate(deviceId);
        return view(registry.find(deviceId).orElseThrow(() -> notFound(deviceId)));
    }

    /** The providers as stored: empty for every provider (null); each must be one the router routes to. */
    private List<String> validProvidersOrAll(List<String> providers) {
        if (providers == null) {
            return List.of();
        }
        if (providers.isEmpty()) {
            throw invalidProviders("a device needs at least one provider; send null for every provider");
        }
        for (String provider : providers) {
            if (!routable.contains(provider)) {
                throw invalidProviders("provider '" + provider + "' is not one of " + routable);
            }
        }
        return List.copyOf(new LinkedHashSet<>(providers));
    }

    private static AdminException invalidProviders(String message) {
        return new AdminException(400, "invalid_providers", message);
    }

    private static List<String> viewOf(List<String> providers) {
        return providers.isEmpty() ? null : providers;
    }

    private static String validPolicyOrEmpty(String policy) {
        if (policy == null || policy.isEmpty()) {
            return "";
        }
        if (RoutingPolicy.fromWire(policy).isEmpty()) {
            throw invalidPolicy(policy);
        }
        return policy;
    }

    private static AdminException invalidPolicy(String policy) {
        return new AdminException(400, "invalid_policy",
                "policy '" + policy + "' is not one of " + RoutingPolicy.names());
    }

    private static AdminException notFound(String deviceId) {
        return new AdminException(404, "unknown_device", "no device " + deviceId);
    }

    private static AdminDtos.DeviceView view(DeviceRecord d) {
        return new AdminDtos.DeviceView(d.deviceId(), d.policy().orElse(""), d.enabled(), !d.tokenHash().isEmpty(),
                d.createdAtMillis(), viewOf(d.providers()));
    }
}
