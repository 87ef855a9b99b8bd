package dev.speechfleet.core.worker;

import dev.speechfleet.core.stream.AudioChunk;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a failed chunk goes next: the first provider of its fallback list (or of the default chain
 * when it carries none) that has not failed it yet and is not already serving it in a consensus.
 *
 * @param next      the provider to send the chunk to, empty when the chain is exhausted
 * @param remaining the fallback list to write on the re-routed entry
 */
record FailoverPlan(Optional<String> next, List<String> remaining) {

    static FailoverPlan after(AudioChunk chunk, String failedProvider, List<String> defaultChain, int maxAttempts) {
        if (chunk.attempt() >= maxAttempts) {
            return new FailoverPlan(Optional.empty(), List.of());
        }
        Set<String> excluded = new LinkedHashSet<>(chunk.triedProviders());
        excluded.add(failedProvider);
        excluded.addAll(chunk.consensusProviders());
        List<String> chain = chunk.fallbackProviders() != null ? chunk.fallbackProviders() : defaultChain;
        List<String> candidates = new ArrayList<>();
        for (String provider : chain) {
            if (!excluded.contains(provider) && !candidates.contains(provider)) {
                candidates.add(provider);
            }
        }
        if (candidates.isEmpty()) {
            return new FailoverPlan(Optional.empty(), List.of());
        }
        return new FailoverPlan(Optional.of(candidates.getFirst()), List.copyOf(candidates.subList(1, candidates.size())));
    }
}
