package dev.speechfleet.core.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Default consumer names: unique per live process, stable and readable in {@code XINFO CONSUMERS}. */
public final class ConsumerNames {

    private ConsumerNames() {
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
