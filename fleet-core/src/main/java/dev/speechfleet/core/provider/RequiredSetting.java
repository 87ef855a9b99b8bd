package dev.speechfleet.core.provider;

import java.util.Optional;

/** Settings a service cannot start without; the error names the property and the environment variable to set. */
public final class RequiredSetting {

    private RequiredSetting() {
    }

    /**
     * The value when it is present and not blank.
     *
     * @throws IllegalStateException naming {@code property} and {@code envVar} otherwise
     */
    public static String require(Optional<String> value, String property, String envVar) {
        return value.map(String::strip).filter(v -> !v.isEmpty()).orElseThrow(() -> new IllegalStateException(
                property + " is not set: set the environment variable " + envVar + " (or the property " + property
                        + ") before starting this service"));
    }
}
