package dev.speechfleet.core.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Default consumer names: unique per live process, stable and readable in {@code XINFO CONSUMERS}. */
public final class ConsumerNames {

    /**
     * Prefix of the names a stranded-entry sweeper reads provider groups under. A sweeper is never a
     * live consumer of the provider (liveness skips these names).
     */
    public static final String SWEEPER_PREFIX = "sweeper@";

    private ConsumerNames() {
    }

    /** The consumer name of a stranded-entry sweeper running in the process named {@code instance}. */
    public static String sweeper(String instance) {
        return SWEEPER_PREFIX + instance;
    }

    /** Whether {@code consumer} is a sweeper rather than a provider worker. */
    public static boolean isSweeper(String consumer) {
        return consumer != null && consumer.startsWith(SWEEPER_PREFIX);
    }

    /** {@code $HOSTNAME-<pid>}: the pod name on Kubernetes, the host name elsewhere. */
    public static String defaultName() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "consumer";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
