package dev.speechfleet.aggregator;

import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.stream.WordTiming;
import java.util.ArrayList;
import java.util.List;

/** Hypotheses as provider consumers write them, for tests. */
final class Hypotheses {

    static final long START_MS = 4_000;
    static final long DURATION_MS = 1_500;

    private Hypotheses() {
    }

    static Hypothesis ok(String session, long seq, String provider, String text, double confidence, double cost) {
        return hypothesis(session, seq, provider, true, text, confidence, cost, ChunkMode.SINGLE, List.of(), "");
    }

    static Hypothesis failed(String session, long seq, String provider, String error) {
        return hypothesis(session, seq, provider, false, "", 0, 0.0001, ChunkMode.SINGLE, List.of(), error);
    }

    static Hypothesis consensus(String session, long seq, String provider, String text, double confidence,
            List<String> requested) {
        return hypothesis(session, seq, provider, true, text, confidence, 0.001, ChunkMode.CONSENSUS, requested, "");
    }

    static Hypothesis consensusFailed(String session, long seq, String provider, List<String> requested) {
        return hypothesis(session, seq, provider, false, "", 0, 0.0, ChunkMode.CONSENSUS, requested,
                provider + " returned HTTP 500");
    }

    private static Hypothesis hypothesis(String session, long seq, String provider, boolean ok, String text,
            double confidence, double cost, ChunkMode mode, List<String> requested, String error) {
        long now = System.currentTimeMillis();
        return Hypothesis.builder().utterance(session, "esp-01", seq).provider(provider)
                .outcome(ok, text, confidence, words(text, confidence), error).language("en").model("test-model")
                .timing(START_MS, DURATION_MS).cost(300, cost).mode(mode).consensusProviders(requested)
                .enqueuedAtMillis(now - 500).producedAtMillis(now).build();
    }

    private static List<WordTiming> words(String text, double confidence) {
        List<WordTiming> words = new ArrayList<>();
        if (text.isBlank()) {
            return words;
        }
        long at = 0;
        for (String w : text.split("\\s+")) {
            words.add(new WordTiming(w, at, at + 300, confidence));
            at += 350;
        }
        return words;
    }
}
