package dev.speechfleet.core.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speechfleet.core.stream.MalformedEntryException;
import java.util.Optional;

/**
 * What one consumer reports about its provider, stored as JSON in field {@code {consumer}} of
 * {@code provider:health:{provider}}; the router reads it in the background to route.
 *
 * @param consumer          the consumer that reported
 * @param circuit           its provider's breaker
 * @param p95ProcessingMs   95th percentile of recent provider call times, 0 when none yet
 * @param realTimeFactor    recent median of processing time over audio time, 0 when none yet
 * @param concurrency       chunks the consumer processes at once
 * @param updatedAtMillis   when it reported
 * @param capabilities      what the consumer's configured model serves; empty in a report of a
 *                          consumer that predates capabilities
 */
public record ProviderHealth(String consumer, CircuitState circuit, long p95ProcessingMs, double realTimeFactor,
        int concurrency, long updatedAtMillis, Optional<ProviderCapabilities> capabilities) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ProviderHealth {
        capabilities = capabilities == null ? Optional.empty() : capabilities;
    }

    /** A report that says nothing about capabilities. */
    public ProviderHealth(String consumer, CircuitState circuit, long p95ProcessingMs, double realTimeFactor,
            int concurrency, long updatedAtMillis) {
        this(consumer, circuit, p95ProcessingMs, realTimeFactor, concurrency, updatedAtMillis, Optional.empty());
    }

    public String toJson() {
        ObjectNode node = JSON.createObjectNode().put("consumer", consumer).put("circuit", circuit.wire())
                .put("p95_ms", p95ProcessingMs).put("rtf", realTimeFactor).put("concurrency", concurrency)
                .put("at", updatedAtMillis);
        capabilities.ifPresent(c -> c.writeTo(node));
        return node.toString();
    }

    public static ProviderHealth fromJson(String json) {
        try {
            JsonNode node = JSON.readTree(json);
            return new ProviderHealth(node.path("consumer").asText(), CircuitState.fromWire(node.path("circuit")
                    .asText("closed")), node.path("p95_ms").asLong(), node.path("rtf").asDouble(),
                    node.path("concurrency").asInt(1), node.path("at").asLong(), ProviderCapabilities.readFrom(node));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MalformedEntryException("not a provider health report: " + json, e);
        }
    }
}
