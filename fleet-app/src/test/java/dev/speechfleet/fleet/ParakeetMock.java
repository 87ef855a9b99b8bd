package dev.speechfleet.fleet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A Parakeet endpoint (OpenAI-compatible {@code /v1/audio/transcriptions}, provider-contracts.md) on
 * loopback, and the settings of a one-process fleet that serves Parakeet alone against it.
 */
public class ParakeetMock implements QuarkusTestResourceLifecycleManager {

    static final String ADMIN_TOKEN = "fleet-test-admin";

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/audio/transcriptions", ParakeetMock::transcribe);
        server.start();
        return Map.of("parakeet.base-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "parakeet.model", "parakeet-tdt-0.6b-v2",
                "fleet.worker.providers", "parakeet",
                "fleet.routing.default-chain", "parakeet",
                "router.routing.providers", "parakeet",
                "router.routing.refresh-interval", "200ms",
                "router.admin.token", ADMIN_TOKEN);
    }

    private static void transcribe(HttpExchange exchange) throws IOException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        exchange.getRequestBody().readAllBytes();
        boolean multipart = type != null && type.startsWith("multipart/form-data");
        byte[] body = (multipart ? "{\"text\":\"parakeet heard you\"}" : "{\"error\":\"No file part in the request\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(multipart ? 200 : 400, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
