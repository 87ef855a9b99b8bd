package dev.speechfleet.router.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** HTTP calls with the path sent exactly as written (rest-assured would re-encode or normalise it). */
final class RawHttp {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Reply(int status, String body) {
    }

    private RawHttp() {
    }

    static Reply send(URI base, String method, String rawPath, String json, String bearer) {
        URI uri = URI.create("http://" + base.getHost() + ":" + base.getPort() + rawPath);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method,
                json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
