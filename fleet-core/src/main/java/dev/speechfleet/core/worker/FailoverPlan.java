package dev.speechfleet.core.worker;

import dev.speechfleet.core.stream.AudioChunk;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Where a failed chunk goes next: the first provider of its fallback list (or of the default chain
 * when it carries none) that has not failed it yet, is not already serving it in a consensus, and
 * may be given work now (a live consumer, or scale-from-zero). Providers skipped for want of a
 * consumer stay in the remaining list, so that a later failover can use them once they are back.
 *
 * @param next      the provider to send the chunk to, empty when no candidate may take it
 * @param remaining the fallback list to write on the re-routed entry
 */
record FailoverPlan(Optional<String> next, List<String> remaining) {

    static FailoverPlan after(AudioChunk chunk, String failedProvider, List<String> defaultChain, int maxAttempts,
            Predicate<String> accepts) {
        if (chunk.attempt() >= maxAttempts) {
            return exhausted();
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
        Optional<String> next = candidates.stream().filter(accepts).findFirst();
        if (next.isEmpty()) {
            return exhausted();
        }
        candidates.remove(next.get());
        return new FailoverPlan(next, List.copyOf(candidates));
    }

    private static FailoverPlan exhausted() {
        return new FailoverPlan(Optional.empty(), List.of());
    }
}
