package dev.speechfleet.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.ModelLanguages;
import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.core.provider.ProviderHealth;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.TestRedis;
import dev.speechfleet.client.Pcm;
import dev.speechfleet.router.vad.Utterance;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Consumers publish what their configured model serves; the router, reading it from real Redis,
 * never routes an utterance to a provider that cannot serve its language or sample rate, neither as
 * the choice nor as a fallback.
 */
class CapabilityRoutingTest {

    private static final List<String> PROVIDERS = List.of("whisper", "deepgram", "assemblyai", "parakeet");
    private static final ProviderCapabilities PARAKEET_V2 = new ProviderCapabilities(Set.of("en"), Set.of(16000));
    private static final ProviderCapabilities WHISPER_EN = new ProviderCapabilities(Set.of("en"),
            Set.of(8000, 16000));
    private static final ProviderCapabilities WHISPER_MULTI = new ProviderCapabilities(
            ModelLanguages.WHISPER_MULTILINGUAL, Set.of(8000, 16000));
    private static final ProviderCapabilities NOVA_3 = new ProviderCapabilities(ModelLanguages.DEEPGRAM_NOVA_3,
            ProviderCapabilities.ANY_SAMPLE_RATE);
    private static TestRedis server;
    private RedisStreams redis;

    @BeforeAll
    static void start() {
        server = TestRedis.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void flush() {
        server.flush();
        redis = server.streams();
    }

    @Test
    void anEightKilohertzUtteranceIsNeverRoutedToAProviderThatTakesOnlySixteen() {
        live("parakeet", "p-1", 50, PARAKEET_V2);
        live("whisper", "w-1", 3000, WHISPER_EN);

        for (int seq = 0; seq < 10; seq++) {
            dispatcher().dispatch(route("en", 8000, List.of()), seq, utterance(8000));
        }

        assertThat(queued("parakeet")).isEmpty();
        assertThat(queued("whisper")).hasSize(10).allSatisfy(c -> {
            assertThat(c.sampleRate()).isEqualTo(8000);
            assertThat(c.fallbackProviders()).doesNotContain("parakeet");
        });
    }

    @Test
    void aSixteenKilohertzUtteranceStillGoesToTheFasterProvider() {
        live("parakeet", "p-1", 50, PARAKEET_V2);
        live("whisper", "w-1", 3000, WHISPER_EN);

        dispatcher().dispatch(route("en", 16000, List.of()), 0, utterance(16000));

        assertThat(queued("parakeet")).singleElement()
                .satisfies(c -> assertThat(c.fallbackProviders()).contains("whisper"));
    }

    @Test
    void aLanguageOnlyTheMultilingualWhisperServesGoesThereAndNowhereElse() {
        live("whisper", "w-1", 3000, WHISPER_MULTI);
        live("deepgram", "d-1", 100, NOVA_3);

        dispatcher().dispatch(route("sw", 16000, List.of()), 0, utterance(16000));

        assertThat(queued("deepgram")).isEmpty();
        assertThat(queued("whisper")).singleElement()
                .satisfies(c -> assertThat(c.fallbackProviders()).doesNotContain("deepgram", "parakeet"));
    }

    @Test
    void anEnglishOnlyWhisperNeverGetsGerman() {
        live("whisper", "w-1", 10, WHISPER_EN);
        live("deepgram", "d-1", 3000, NOVA_3);

        dispatcher().dispatch(route("de-CH", 16000, List.of()), 0, utterance(16000));

        assertThat(queued("whisper")).isEmpty();
        assertThat(queued("deepgram")).singleElement()
                .satisfies(c -> assertThat(c.fallbackProviders()).doesNotContain("whisper", "parakeet"));
    }

    @Test
    void whenTheConsumersOfOneProviderRunDifferentModelsOnlyWhatAllServeIsRoutedThere() {
        live("whisper", "w-multi", 10, WHISPER_MULTI);
        live("whisper", "w-en", 10, WHISPER_EN);
        live("deepgram", "d-1", 3000, NOVA_3);

        dispatcher().dispatch(route("de", 16000, List.of()), 0, utterance(16000));
        dispatcher().dispatch(route("en", 16000, List.of()), 1, utterance(16000));

        assertThat(queued("whisper")).extracting(AudioChunk::language).containsExactly("en");
        assertThat(queued("deepgram")).extracting(AudioChunk::language).containsExactly("de");
    }

    @Test
    void aProviderWithNoConsumerRunningIsJudgedByWhatItsLastConsumerPublished() {
        redis.send(Request.cmd(Command.SET).arg(StreamKeys.providerCapabilities("parakeet"))
                .arg(new ProviderCapabilities(ModelLanguages.PARAKEET_V3, Set.of(16000)).toJson()));
        redis.send(Request.cmd(Command.SET).arg(StreamKeys.providerCapabilities("whisper")).arg(WHISPER_EN.toJson()));

        dispatcher().dispatch(route("de", 16000, List.of()), 0, utterance(16000));

        AudioChunk chunk = firstQueued();
        assertThat(chunk.routeReason()).contains("no_live_provider");
        assertThat(chunk.fallbackProviders()).doesNotContain("whisper").contains("parakeet");
        assertThat(queued("whisper")).isEmpty();
    }

    @Test
    void aConsensusIsNotFannedOutToAProviderThatCannotServeTheSampleRate() {
        live("whisper", "w-1", 100, WHISPER_EN);
        live("parakeet", "p-1", 100, PARAKEET_V2);
        live("deepgram", "d-1", 100, NOVA_3);

        dispatcher().dispatch(route("en", 8000, List.of("whisper", "parakeet", "deepgram")), 0, utterance(8000));

        assertThat(queued("parakeet")).isEmpty();
        assertThat(queued("whisper")).hasSize(1);
        assertThat(queued("deepgram")).singleElement()
                .satisfies(c -> assertThat(c.consensusProviders()).containsExactly("whisper", "deepgram"));
    }

    private UtteranceDispatcher dispatcher() {
        FiguresSnapshot snapshot = new FiguresReader(redis, Duration.ofSeconds(5))
                .read(PROVIDERS, System.currentTimeMillis());
        return new UtteranceDispatcher(redis, new RouteChooser(PROVIDERS, new RoutingWeights(0.4, 0.3, 0.2, 0.1, 2000)),
                () -> snapshot, Duration.ofHours(1));
    }

    private static UtteranceDispatcher.Route route(String language, int sampleRate, List<String> consensus) {
        return new UtteranceDispatcher.Route("s-1", "dev-1", sampleRate, language, RoutingPolicy.LATENCY, consensus);
    }

    private static Utterance utterance(int sampleRate) {
        return new Utterance(1000, 400, 400, Pcm.tone(sampleRate, 400, 8000), false);
    }

    /** A live consumer of {@code provider} reporting {@code p95} and what its model serves. */
    private void live(String provider, String consumer, long p95, ProviderCapabilities capabilities) {
        redis.createGroup(StreamKeys.audioStream(provider), StreamKeys.workerGroup(provider));
        ProviderHealth health = new ProviderHealth(consumer, CircuitState.CLOSED, p95, 0.2, 4,
                System.currentTimeMillis(), Optional.of(capabilities));
        redis.send(Request.cmd(Command.HSET).arg(StreamKeys.providerHealth(provider)).arg(consumer)
                .arg(health.toJson()));
    }

    private List<AudioChunk> queued(String provider) {
        return redis.range(StreamKeys.audioStream(provider), "-", "+", 100).stream()
                .map(e -> AudioChunkCodec.decode(e.fields())).toList();
    }

    private AudioChunk firstQueued() {
        return PROVIDERS.stream().flatMap(p -> queued(p).stream()).findFirst().orElseThrow();
    }
}
