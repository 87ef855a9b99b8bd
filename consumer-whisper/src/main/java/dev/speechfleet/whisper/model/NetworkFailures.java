package dev.speechfleet.whisper.model;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Names what went wrong in a failed HTTP transfer. The exception classes of java.net say it; their
 * messages often do not (java.net.http reports a refused connection or a failed DNS lookup as a
 * ConnectException without any message, which is how "null" used to end up in the model error).
 */
final class NetworkFailures {

    private NetworkFailures() {
    }

    /** The cause of {@code failure} in words, naming the host of {@code source}. */
    static String describe(Throwable failure, URI source, Duration connectTimeout, Duration readTimeout) {
        String host = source.getHost();
        String endpoint = host + ":" + port(source);
        for (Throwable e = failure; e != null; e = e.getCause()) {
            String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
            switch (e) {
                case UnknownHostException u -> {
                    return "the host name " + host + " cannot be resolved (DNS: no such host, or no DNS server"
                            + " reachable)";
                }
                case UnresolvedAddressException u -> {
                    return "the host name " + host + " cannot be resolved (DNS: no such host, or no DNS server"
                            + " reachable)";
                }
                case NoRouteToHostException n -> {
                    return "no route to host " + endpoint + " (network unreachable, or a firewall drops the traffic)";
                }
                case SocketTimeoutException t when message.contains("connect") -> {
                    return "no answer from " + endpoint + " within " + connectTimeout.toSeconds()
                            + " s (connect timed out)";
                }
                case SocketTimeoutException t -> {
                    return "no data from " + endpoint + " for " + readTimeout.toSeconds() + " s (read timed out)";
                }
                case SocketException s when message.contains("unreachable") -> {
                    return "no route to host " + endpoint + " (" + e.getMessage() + ")";
                }
                case ConnectException c when message.contains("refused") || (message.isEmpty() && c.getCause() == null) -> {
                    return "connection to " + endpoint + " refused (nothing listens there, or a firewall rejects it)";
                }
                case SSLException s -> {
                    return "the TLS connection to " + endpoint + " failed: " + orClassName(e);
                }
                default -> {
                    // not a cause we can name: look further down the chain
                }
            }
        }
        return orClassName(failure);
    }

    private static int port(URI source) {
        if (source.getPort() >= 0) {
            return source.getPort();
        }
        return "https".equalsIgnoreCase(source.getScheme()) ? 443 : 80;
    }

    private static String orClassName(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
    }
}
