package dev.speechfleet.router.device;

import java.util.List;
import java.util.Optional;

/**
 * A device as stored in {@code device:{device_id}}.
 *
 * @param deviceId        the device
 * @param tokenHash       hex SHA-256 of its token; empty once the token is revoked
 * @param policy          its default routing policy, empty for the router default
 * @param enabled         whether it may connect
 * @param createdAtMillis when it was created
 * @param providers       the providers it may use, in no particular order; empty for every provider
 */
public record DeviceRecord(String deviceId, String tokenHash, Optional<String> policy, boolean enabled,
        long createdAtMillis, List<String> providers) {

    public DeviceRecord {
        providers = List.copyOf(providers);
    }

    /** Whether {@code presentedToken} is this device's current token. */
    public boolean accepts(String presentedToken) {
        return enabled && !tokenHash.isEmpty() && presentedToken != null
                && DeviceTokens.matches(presentedToken, tokenHash);
    }
}
