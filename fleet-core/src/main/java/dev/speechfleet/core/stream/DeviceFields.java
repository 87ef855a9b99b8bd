package dev.speechfleet.core.stream;

/**
 * Field names and values of a {@code device:{device_id}} hash (docs/streams.md), written by the
 * router's admin API and read by its device authentication. Scripts name the fields through
 * {@link #LUA_LOCALS}.
 */
public final class DeviceFields {
    /** Hex SHA-256 of the device's token; empty once revoked. */
    public static final String TOKEN_HASH = "token_hash";
    /** The device's default routing policy; empty for the router's default. */
    public static final String POLICY = "policy";
    /** {@link #YES} when the device may connect. */
    public static final String ENABLED = "enabled";
    public static final String CREATED_AT = "created_at";
    /** Comma list of the providers the device may use; empty for every provider. */
    public static final String PROVIDERS = "providers";

    /** {@link #ENABLED}: the device may connect. */
    public static final String YES = "1";
    /** {@link #ENABLED}: the device is revoked. */
    public static final String NO = "0";

    /** Lua locals naming the fields a script writes: {@code TOKEN_HASH}, {@code POLICY}, … */
    public static final String LUA_LOCALS = """
            local TOKEN_HASH, POLICY, ENABLED, CREATED_AT, PROVIDERS, YES = '%s', '%s', '%s', '%s', '%s', '%s'
            """.formatted(TOKEN_HASH, POLICY, ENABLED, CREATED_AT, PROVIDERS, YES);

    private DeviceFields() {
    }
}
