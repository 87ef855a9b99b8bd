package dev.speechfleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The router's admin API, as far as a test or demo client needs it: creating devices. */
public final class AdminApi {

    private final HttpClient http;
    private final URI base;
    private final String adminToken;

    public AdminApi(HttpClient http, URI httpBase, String adminToken) {
        this.http = http;
        this.base = httpBase;
        this.adminToken = adminToken;
    }

    /** Creates a device and returns its token (shown once by the router). */
    public String createDevice(String deviceId) throws IOException, InterruptedException {
        String body = ServerMessage.JSON.createObjectNode().put("device_id", deviceId).toString();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/admin/devices"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("creating device " + deviceId + " failed: HTTP " + response.statusCode() + " "
                    + response.body());
        }
        JsonNode created = ServerMessage.JSON.readTree(response.body());
        return created.path("token").asText();
    }
}
