package dev.speechfleet.core.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.FailureKind;
import dev.speechfleet.core.stream.ProviderError;
import dev.speechfleet.core.testing.Chunks;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailoverPlanTest {

    private static final List<String> DEFAULT_CHAIN = List.of("whisper", "deepgram", "assemblyai", "parakeet");
    private static final java.util.function.Predicate<String> ANY = provider -> true;

    @Test
    void takesTheFirstFallbackAndKeepsTheRest() {
        AudioChunk chunk = Chunks.chunk("s", 0, List.of("deepgram", "parakeet"));

        FailoverPlan plan = FailoverPlan.after(chunk, "whisper", DEFAULT_CHAIN, 8, ANY);

        assertThat(plan.next()).contains("deepgram");
        assertThat(plan.remaining()).containsExactly("parakeet");
    }

    @Test
    void skipsProvidersThatAlreadyFailedTheChunk() {
        AudioChunk chunk = Chunks.chunk("s", 0, List.of("whisper", "parakeet"))
                .reroutedAfter(new ProviderError("whisper", FailureKind.RETRYABLE, "x", 1), List.of("whisper", "parakeet"));

        FailoverPlan plan = FailoverPlan.after(chunk, "deepgram", DEFAULT_CHAIN, 8, ANY);

        assertThat(plan.next()).contains("parakeet");
    }

    @Test
    void withoutAFallbackListTheDefaultChainIsUsed() {
        FailoverPlan plan = FailoverPlan.after(Chunks.chunk("s", 0, null), "whisper", DEFAULT_CHAIN, 8, ANY);

        assertThat(plan.next()).contains("deepgram");
        assertThat(plan.remaining()).containsExactly("assemblyai", "parakeet");
    }

    @Test
    void anEmptyFallbackListMeansTheChainIsExhausted() {
        FailoverPlan plan = FailoverPlan.after(Chunks.chunk("s", 0, List.of()), "whisper", DEFAULT_CHAIN, 8, ANY);

        assertThat(plan.next()).isEmpty();
    }

    @Test
    void consensusPartnersAreNotFallbacks() {
        AudioChunk base = Chunks.chunk("s", 0, List.of("deepgram", "parakeet"));
        AudioChunk consensus = base.toBuilder().policy("accuracy").routeReason("consensus")
                .mode(ChunkMode.CONSENSUS).consensusProviders(List.of("whisper", "deepgram")).enqueuedAtMillis(0)
                .traceparent(null).keyterms(List.of()).build();

        FailoverPlan plan = FailoverPlan.after(consensus, "whisper", DEFAULT_CHAIN, 8, ANY);

        assertThat(plan.next()).contains("parakeet");
    }

    @Test
    void theAttemptCapEndsAnyChain() {
        AudioChunk chunk = Chunks.chunk("s", 0, List.of("deepgram"));

        assertThat(FailoverPlan.after(chunk, "whisper", DEFAULT_CHAIN, 1, ANY).next()).isEmpty();
    }

    @Test
    void aProviderThatMayNotTakeWorkIsSkippedButKeptForLater() {
        AudioChunk chunk = Chunks.chunk("s", 0, List.of("deepgram", "assemblyai", "parakeet"));

        FailoverPlan plan = FailoverPlan.after(chunk, "whisper", DEFAULT_CHAIN, 8, p -> !p.equals("deepgram"));

        assertThat(plan.next()).contains("assemblyai");
        assertThat(plan.remaining()).containsExactly("deepgram", "parakeet");
    }

    @Test
    void noCandidateThatMayTakeWorkExhaustsTheChain() {
        AudioChunk chunk = Chunks.chunk("s", 0, List.of("deepgram", "parakeet"));

        FailoverPlan plan = FailoverPlan.after(chunk, "whisper", DEFAULT_CHAIN, 8, p -> false);

        assertThat(plan.next()).isEmpty();
        assertThat(plan.remaining()).isEmpty();
    }
}
