package dev.speechfleet.router.device;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Device tokens: 256 random bits, shown once, stored only as their SHA-256 (ADR 0030 says why a
 * fast hash is enough for a high-entropy token).
 */
public final class DeviceTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "sfd_";
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private DeviceTokens() {
    }

    /** A new token: prefix plus 32 random bytes, base64url. */
    public static String newToken() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Hex SHA-256 of the token. */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Compares in constant time, so the response time does not leak how much of a hash matched. */
    public static boolean matches(String presentedToken, String storedHash) {
        return MessageDigest.isEqual(hash(presentedToken).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    /** Device ids are short and safe in keys and URLs: letters, digits, {@code . _ : -}, 1 to 64 characters. */
    public static boolean isValidDeviceId(String deviceId) {
        return deviceId != null && DEVICE_ID.matcher(deviceId).matches();
    }
}
