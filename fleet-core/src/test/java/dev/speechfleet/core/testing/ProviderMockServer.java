package dev.speechfleet.core.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.ValueMatcher;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP plumbing every local provider mock shares: a WireMock server on loopback on a free port,
 * started as a Quarkus test resource that points the provider's base URL at it, JSON answers, and a
 * matcher that refuses query parameters the request should not carry. Each provider's mock adds the
 * documented requests and bodies of its API.
 */
public abstract class ProviderMockServer implements QuarkusTestResourceLifecycleManager {

    private static final Map<Class<?>, WireMockServer> RUNNING = new ConcurrentHashMap<>();

    private final String baseUrlProperty;

    /** @param baseUrlProperty the provider's base-URL setting, pointed at the mock (for example {@code deepgram.base-url}) */
    protected ProviderMockServer(String baseUrlProperty) {
        this.baseUrlProperty = baseUrlProperty;
    }

    /** The running server of the mock {@code type}. */
    protected static WireMockServer running(Class<? extends ProviderMockServer> type) {
        WireMockServer server = RUNNING.get(type);
        if (server == null) {
            throw new IllegalStateException(type.getSimpleName() + " is not started (declare it as a test resource)");
        }
        return server;
    }

    /** An answer with a JSON body. */
    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** Matches only when the request's query holds exactly the parameters {@code names}. */
    public static ValueMatcher<Request> onlyParameters(Set<String> names) {
        return request -> MatchResult.of(parameterNames(request.getUrl()).equals(names));
    }

    /** Every parameter name of a URL's query, decoded. */
    public static Set<String> parameterNames(String url) {
        int query = url.indexOf('?');
        Set<String> names = new TreeSet<>();
        if (query < 0) {
            return names;
        }
        for (String pair : url.substring(query + 1).split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                names.add(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8));
            }
        }
        return names;
    }

    @Override
    public Map<String, String> start() {
        WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        RUNNING.put(getClass(), server);
        return Map.of(baseUrlProperty, server.baseUrl());
    }

    @Override
    public void stop() {
        WireMockServer server = RUNNING.remove(getClass());
        if (server != null) {
            server.stop();
        }
    }
}
