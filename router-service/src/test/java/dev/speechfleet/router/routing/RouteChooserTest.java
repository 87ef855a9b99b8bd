package dev.speechfleet.router.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.speechfleet.core.provider.ProviderCapabilities;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each policy picks as it should from given figures; dead or broken providers are skipped. */
class RouteChooserTest {

    @Test
    void scoresInTheReasonReadAsFourDecimalsLikeTheFormatterWrites() {
        java.util.Random random = new java.util.Random(13);
        List<Double> values = new java.util.ArrayList<>(List.of(0.0, 1.0, 0.00004, 0.00005, 0.99995, 12.5, 2.0E9,
                Double.MAX_VALUE, -0.25));
        for (int i = 0; i < 2000; i++) {
            values.add(random.nextDouble() * (i % 2 == 0 ? 1 : 5000));
        }
        for (double value : values) {
            assertThat(RouteChooser.appendFourDecimals(new StringBuilder(), value).toString()).as("%s", value)
                    .isEqualTo(String.format(java.util.Locale.ROOT, "%.4f", value));
        }
    }


    private static final List<String> ORDER = List.of("whisper", "deepgram", "assemblyai", "parakeet");
    private static final RoutingWeights WEIGHTS = new RoutingWeights(0.4, 0.3, 0.2, 0.1, 2000);

    private final RouteChooser chooser = new RouteChooser(ORDER, WEIGHTS);

    @Test
    void latencyPicksTheLowestP95PlusQueueWait() {
        FiguresSnapshot figures = snapshot(
                live("whisper", 900, 0, 1),
                live("deepgram", 400, 6, 2),      // 400 + 6 * 400 / 2 = 1600
                live("assemblyai", 1200, 0, 4),   // 1200
                live("parakeet", 300, 10, 1));    // 300 + 3000 = 3300

        assertThat(chooser.single(RoutingPolicy.LATENCY, "en", figures).primary()).isEqualTo("whisper");
    }

    @Test
    void latencyCountsTheQueueInFrontOfTheProvider() {
        FiguresSnapshot figures = snapshot(live("whisper", 500, 20, 1), live("deepgram", 800, 0, 1));

        RouteDecision decision = chooser.single(RoutingPolicy.LATENCY, "en", figures);

        assertThat(decision.primary()).isEqualTo("deepgram");
        assertThat(decision.reason()).startsWith("policy=latency").contains("est_latency_ms=800");
        assertThat(decision.policy()).isEqualTo("latency");
        assertThat(decision.kind()).isEqualTo(RouteReason.RANKED);
    }

    @Test
    void accuracyPicksTheLowestCatalogWer() {
        FiguresSnapshot figures = snapshot(live("whisper", 100, 0, 1), live("deepgram", 3000, 50, 1),
                live("assemblyai", 100, 0, 1), live("parakeet", 100, 0, 1));

        assertThat(chooser.single(RoutingPolicy.ACCURACY, "en", figures).primary()).isEqualTo("deepgram");
    }

    @Test
    void costPicksTheCheapestPerMinute() {
        FiguresSnapshot figures = snapshot(live("deepgram", 100, 0, 1), live("assemblyai", 100, 0, 1),
                live("parakeet", 100, 0, 1));

        assertThat(chooser.single(RoutingPolicy.COST, "en", figures).primary()).isEqualTo("parakeet");
    }

    @Test
    void queuePicksTheShortestLagPlusPending() {
        FiguresSnapshot figures = snapshot(
                new ProviderFigures("whisper", 1, 5, 4, false, 100, 1),
                new ProviderFigures("deepgram", 1, 0, 3, false, 5000, 1),
                new ProviderFigures("assemblyai", 1, 7, 0, false, 100, 1));

        assertThat(chooser.single(RoutingPolicy.QUEUE, "en", figures).primary()).isEqualTo("deepgram");
    }

    @Test
    void balancedWeighsLatencyAccuracyCostAndQueue() {
        // whisper: slow and loaded but free; deepgram: fast, most accurate, cheap enough.
        FiguresSnapshot figures = snapshot(live("whisper", 4000, 8, 1), live("deepgram", 500, 0, 4));

        assertThat(chooser.single(RoutingPolicy.BALANCED, "en", figures).primary()).isEqualTo("deepgram");
    }

    @Test
    void balancedPrefersTheFreeProviderWhenBothAreEquallyFast() {
        FiguresSnapshot figures = snapshot(live("whisper", 500, 0, 1), live("deepgram", 500, 0, 1));

        // latency and queue tie; cost 0 vs 1 outweighs WER 0.074 vs 0.0526 (0.2 * 1 > 0.3 * (1 - 0.71)).
        assertThat(chooser.single(RoutingPolicy.BALANCED, "en", figures).primary()).isEqualTo("whisper");
    }

    @Test
    void aProviderWithoutALiveConsumerIsSkipped() {
        FiguresSnapshot figures = snapshot(live("whisper", 100, 0, 1),
                new ProviderFigures("deepgram", 0, 0, 0, false, 0, 0));

        RouteDecision decision = chooser.single(RoutingPolicy.ACCURACY, "en", figures);

        assertThat(decision.primary()).isEqualTo("whisper");
        assertThat(decision.reason()).doesNotContain("deepgram:");
    }

    @Test
    void aProviderWithAnOpenBreakerIsSkipped() {
        FiguresSnapshot figures = snapshot(live("whisper", 100, 0, 1),
                new ProviderFigures("deepgram", 2, 0, 0, true, 100, 2));

        assertThat(chooser.single(RoutingPolicy.ACCURACY, "en", figures).primary()).isEqualTo("whisper");
    }

    @Test
    void fallbacksAreTheOtherLiveProvidersByScore() {
        FiguresSnapshot figures = snapshot(live("whisper", 100, 0, 1), live("assemblyai", 100, 0, 1),
                live("deepgram", 100, 0, 1));

        RouteDecision decision = chooser.single(RoutingPolicy.ACCURACY, "en", figures);

        assertThat(decision.providers()).containsExactly("deepgram");
        assertThat(decision.fallbacks()).as("parakeet has no consumer").containsExactly("whisper", "assemblyai");
    }

    @Test
    void aScaleFromZeroProviderWithoutConsumerIsACandidateAndAFallback() {
        FiguresSnapshot figures = new FiguresSnapshot(java.util.Map.of("whisper", live("whisper", 100, 0, 1)),
                java.util.Set.of("parakeet"), 1);

        RouteDecision byCost = chooser.single(RoutingPolicy.COST, "en", figures);
        RouteDecision byAccuracy = chooser.single(RoutingPolicy.ACCURACY, "en", figures);

        assertThat(byCost.primary()).as("whisper is free").isEqualTo("whisper");
        assertThat(byCost.fallbacks()).containsExactly("parakeet");
        assertThat(byAccuracy.primary()).as("parakeet's lag will wake it").isEqualTo("parakeet");
    }

    @Test
    void withNothingLiveAScaleFromZeroProviderTakesTheUtterance() {
        FiguresSnapshot figures = new FiguresSnapshot(java.util.Map.of(), java.util.Set.of("assemblyai"), 1);

        RouteDecision decision = chooser.single(RoutingPolicy.LATENCY, "de", figures);

        assertThat(decision.primary()).isEqualTo("assemblyai");
    }

    @Test
    void aScaleFromZeroProviderReportingAnOpenBreakerIsNotACandidate() {
        FiguresSnapshot figures = new FiguresSnapshot(java.util.Map.of("whisper", live("whisper", 100, 0, 1),
                "parakeet", new ProviderFigures("parakeet", 1, 0, 0, true, 100, 1)), java.util.Set.of("parakeet"), 1);

        assertThat(chooser.single(RoutingPolicy.ACCURACY, "en", figures).primary()).isEqualTo("whisper");
    }

    @Test
    void consensusCountsAScaleFromZeroProviderAsRoutable() {
        FiguresSnapshot figures = new FiguresSnapshot(java.util.Map.of("whisper", live("whisper", 100, 0, 1)),
                java.util.Set.of("parakeet"), 1);

        RouteDecision decision = chooser.consensus(List.of("whisper", "parakeet", "deepgram"), figures);

        assertThat(decision.providers()).containsExactly("whisper", "parakeet");
        assertThat(decision.reason()).contains("skipped_not_live=deepgram");
        assertThat(decision.policy()).isEqualTo("consensus");
        assertThat(decision.kind()).isEqualTo(RouteReason.CONSENSUS_PARTIAL);
    }

    @Test
    void fallbacksNameNoProviderWithoutALiveConsumer() {
        FiguresSnapshot figures = snapshot(live("whisper", 100, 0, 1), live("deepgram", 100, 0, 1),
                new ProviderFigures("assemblyai", 1, 0, 0, true, 100, 1));

        RouteDecision decision = chooser.single(RoutingPolicy.ACCURACY, "en", figures);

        assertThat(decision.primary()).isEqualTo("deepgram");
        assertThat(decision.fallbacks()).as("parakeet has no consumer; assemblyai's breaker is open but it is consumed")
                .containsExactly("whisper", "assemblyai");
    }

    @Test
    void aLanguageAProviderDoesNotServeExcludesIt() {
        FiguresSnapshot figures = snapshot(live("parakeet", 50, 0, 8), live("assemblyai", 3000, 0, 1));

        RouteDecision decision = chooser.single(RoutingPolicy.LATENCY, "de", figures);

        assertThat(decision.primary()).isEqualTo("assemblyai");
        assertThat(decision.fallbacks()).doesNotContain("parakeet");
    }

    @Test
    void withNothingLiveTheUtteranceIsQueuedAtTheStartOfTheChain() {
        RouteDecision decision = chooser.single(RoutingPolicy.BALANCED, "en", FiguresSnapshot.empty());

        assertThat(decision.primary()).isEqualTo("whisper");
        assertThat(decision.fallbacks()).containsExactly("deepgram", "assemblyai", "parakeet");
        assertThat(decision.reason()).contains("no_live_provider");
        assertThat(decision.policy()).isEqualTo("balanced");
        assertThat(decision.kind()).as("the metric's bounded reason").isEqualTo(RouteReason.NO_LIVE_PROVIDER);
    }

    @Test
    void consensusGoesToEveryRequestedLiveProviderWithoutFallbacks() {
        FiguresSnapshot figures = snapshot(live("whisper", 100, 0, 1), live("deepgram", 100, 0, 1),
                new ProviderFigures("assemblyai", 1, 0, 0, true, 100, 1));

        RouteDecision decision = chooser.consensus(List.of("whisper", "deepgram", "assemblyai"), figures);

        assertThat(decision.providers()).containsExactly("whisper", "deepgram");
        assertThat(decision.fallbacks()).isEmpty();
        assertThat(decision.reason()).contains("skipped_not_live=assemblyai");
    }

    @Test
    void aSampleRateAProviderDoesNotTakeExcludesItAsChoiceAndAsFallback() {
        FiguresSnapshot figures = withCapabilities(snapshot(live("parakeet", 50, 0, 8), live("whisper", 3000, 0, 1)),
                Map.of("parakeet", new ProviderCapabilities(Set.of("en"), Set.of(16000))));

        RouteDecision at8k = chooser.single(RoutingPolicy.LATENCY, "en", 8000, figures);
        RouteDecision at16k = chooser.single(RoutingPolicy.LATENCY, "en", 16000, figures);

        assertThat(at8k.primary()).isEqualTo("whisper");
        assertThat(at8k.fallbacks()).doesNotContain("parakeet");
        assertThat(at16k.primary()).isEqualTo("parakeet");
    }

    @Test
    void aPublishedLanguageListReplacesTheCatalogDefault() {
        FiguresSnapshot figures = withCapabilities(snapshot(live("parakeet", 50, 0, 8), live("assemblyai", 3000, 0, 1)),
                Map.of("parakeet", new ProviderCapabilities(Set.of("de", "en"), Set.of(16000))));

        assertThat(chooser.single(RoutingPolicy.LATENCY, "de", 16000, figures).primary()).isEqualTo("parakeet");
    }

    @Test
    void noProviderServingTheUtteranceIsAnErrorNotARouteToOneThatRefuses() {
        FiguresSnapshot figures = withCapabilities(snapshot(live("whisper", 50, 0, 1)), Map.of(
                "whisper", new ProviderCapabilities(Set.of("en"), Set.of(16000)),
                "deepgram", new ProviderCapabilities(Set.of("en"), Set.of(16000)),
                "assemblyai", new ProviderCapabilities(Set.of("en"), Set.of(16000)),
                "parakeet", new ProviderCapabilities(Set.of("en"), Set.of(16000))));

        assertThatThrownBy(() -> chooser.single(RoutingPolicy.LATENCY, "en", 8000, figures))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8000 Hz");
    }

    @Test
    void consensusLeavesOutARequestedProviderThatCannotServeTheLanguage() {
        FiguresSnapshot figures = snapshot(live("whisper", 100, 0, 1), live("deepgram", 100, 0, 1),
                live("assemblyai", 100, 0, 1));

        RouteDecision decision = chooser.consensus(List.of("whisper", "deepgram", "assemblyai"), "sw", 16000,
                figures);

        assertThat(decision.providers()).containsExactly("assemblyai");
    }

    private static FiguresSnapshot withCapabilities(FiguresSnapshot figures,
            Map<String, ProviderCapabilities> capabilities) {
        return new FiguresSnapshot(figures.providers(), figures.takenAtMillis(), capabilities);
    }

    private static ProviderFigures live(String provider, long p95, long lag, int concurrency) {
        return new ProviderFigures(provider, 1, lag, 0, false, p95, concurrency);
    }

    private static FiguresSnapshot snapshot(ProviderFigures... figures) {
        Map<String, ProviderFigures> byName = new java.util.HashMap<>();
        for (ProviderFigures f : figures) {
            byName.put(f.provider(), f);
        }
        return new FiguresSnapshot(byName, 1);
    }
}
