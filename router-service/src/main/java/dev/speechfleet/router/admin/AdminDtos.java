package dev.speechfleet.router.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Request and response bodies of the admin API. */
public final class AdminDtos {

    private AdminDtos() {
    }

    /** {@code POST /admin/devices}; {@code providers} absent or null for every provider. */
    public record CreateDevice(@JsonProperty("device_id") String deviceId, String policy, List<String> providers) {

        /** A device that may use every provider. */
        public CreateDevice(String deviceId, String policy) {
            this(deviceId, policy, null);
        }
    }

    /** A device with its token: returned once, when the token is made; {@code providers} null for all. */
    public record DeviceWithToken(@JsonProperty("device_id") String deviceId, String token, String policy,
            boolean enabled, List<String> providers) {
    }

    /** A device as listed: never its token or hash; {@code providers} null for every provider. */
    public record DeviceView(@JsonProperty("device_id") String deviceId, String policy, boolean enabled,
            @JsonProperty("has_token") boolean hasToken, @JsonProperty("created_at") long createdAt,
            List<String> providers) {
    }

    /** {@code PUT /admin/devices/{id}/providers}: the providers the device may use, null for every provider. */
    public record SetProviders(List<String> providers) {
    }

    /** {@code PUT /admin/devices/{id}/policy}. */
    public record SetPolicy(String policy) {
    }

    /** Error body of the admin API. */
    public record Problem(String error, String message) {
    }
}
