package dev.speechfleet.router.admin;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Request and response bodies of the admin API. */
public final class AdminDtos {

    private AdminDtos() {
    }

    /** {@code POST /admin/devices}. */
    public record CreateDevice(@JsonProperty("device_id") String deviceId, String policy) {
    }

    /** A device with its token: returned once, when the token is made. */
    public record DeviceWithToken(@JsonProperty("device_id") String deviceId, String token, String policy,
            boolean enabled) {
    }

    /** A device as listed: never its token or hash. */
    public record DeviceView(@JsonProperty("device_id") String deviceId, String policy, boolean enabled,
            @JsonProperty("has_token") boolean hasToken, @JsonProperty("created_at") long createdAt) {
    }

    /** {@code PUT /admin/devices/{id}/policy}. */
    public record SetPolicy(String policy) {
    }

    /** Error body of the admin API. */
    public record Problem(String error, String message) {
    }
}
