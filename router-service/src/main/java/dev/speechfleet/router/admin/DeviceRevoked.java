package dev.speechfleet.router.admin;

/** CDI event: the admin API revoked a device's token, so this instance closes its sockets. */
public record DeviceRevoked(String deviceId) {
}
