package dev.speechfleet.fleet;

import dev.speechfleet.whisper.model.DownloadProgress;
import dev.speechfleet.whisper.model.ModelDownloadException;
import dev.speechfleet.whisper.model.ModelStore;
import dev.speechfleet.whisper.model.ModelUnavailableException;
import dev.speechfleet.whisper.model.PinnedModels;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which providers the one-process fleet serves, decided before Quarkus starts: local Whisper when its
 * model can be had (a path, or a named model downloaded once with progress into the cache), and
 * every cloud provider whose key or URL is set.
 *
 * @param providers   the providers served, in routing preference order
 * @param properties  system properties that configure them
 * @param notes       what was decided and why, for the user
 */
record ProviderPlan(List<String> providers, Map<String, String> properties, List<String> notes) {

    static ProviderPlan decide(FleetOptions options) {
        List<String> providers = new ArrayList<>();
        Map<String, String> properties = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        if (options.withoutWhisper()) {
            notes.add("whisper: left out (--no-whisper)");
        } else {
            resolveWhisperModel(options.model(), options.modelBaseUrl(), notes).ifPresent(path -> {
                providers.add("whisper");
                properties.put("whisper.model.path", path.toString());
            });
        }
        addCloud(providers, notes, "deepgram", options.deepgramKey(), "DEEPGRAM_API_KEY");
        addCloud(providers, notes, "assemblyai", options.assemblyKey(), "ASSEMBLYAI_API_KEY");
        addCloud(providers, notes, "parakeet", options.parakeetUrl(), "PARAKEET_BASE_URL");
        if (!providers.isEmpty()) {
            properties.put("fleet.worker.providers", String.join(",", providers));
            properties.put("fleet.routing.default-chain", String.join(",", providers));
        }
        return new ProviderPlan(List.copyOf(providers), properties, notes);
    }

    /** What to set when no provider can be started (the notes printed before it say why). */
    static String nothingAvailable() {
        return "no speech-to-text provider is available. Give Whisper a model file (--model /path/to/ggml-model.bin"
                + " or WHISPER_MODEL),\nor a model name that can be downloaded, or set DEEPGRAM_API_KEY,"
                + " ASSEMBLYAI_API_KEY or PARAKEET_BASE_URL\nfor a cloud provider.";
    }

    private static Optional<Path> resolveWhisperModel(String model, String baseUrl, List<String> notes) {
        Path asPath = Path.of(model);
        if (model.contains("/") || model.endsWith(".bin") || Files.exists(asPath)) {
            if (!Files.isRegularFile(asPath)) {
                notes.add("whisper: model file " + asPath.toAbsolutePath() + " does not exist");
                return Optional.empty();
            }
            notes.add("whisper: model file " + asPath.toAbsolutePath());
            return Optional.of(asPath.toAbsolutePath());
        }
        return named(model, baseUrl, notes);
    }

    /**
     * A named model from the cache, downloaded first with a progress line a second; Ctrl-C during the
     * download says that the next run resumes it.
     */
    private static Optional<Path> named(String model, String baseUrl, List<String> notes) {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "speech-fleet", "whisper", "models");
        AtomicReference<DownloadProgress> latest = new AtomicReference<>();
        Path partial = cache.resolve(PinnedModels.fileName(model) + ".part");
        Thread interrupted = new Thread(() -> sayWhatIsKept(model, partial, latest.get()));
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            Path file = new ModelStore(cache, URI.create(baseUrl), Duration.ofMinutes(30),
                    Duration.ofSeconds(1), progress -> {
                        latest.set(progress);
                        System.err.println("  downloading model " + model + ": " + progress.describe());
                    }).named(model, Optional.empty());
            notes.add("whisper: model " + model + " (" + file + ")");
            return Optional.of(file);
        } catch (ModelDownloadException e) {
            notes.add("whisper: model " + model + " could not be downloaded: " + e.reason());
            return Optional.empty();
        } catch (ModelUnavailableException e) {
            notes.add("whisper: model " + model + " is not available: " + e.getMessage());
            return Optional.empty();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C arrived: the hook is running or has run, which is what it is for.
            }
        }
    }

    /** On Ctrl-C during a download: what arrived stays in the partial file, and the next run resumes it. */
    private static void sayWhatIsKept(String model, Path partial, DownloadProgress last) {
        long kept;
        try {
            kept = Files.size(partial);
        } catch (java.io.IOException e) {
            return; // no partial file: nothing was kept, nothing to say
        }
        String of = last != null && last.total() > 0 ? String.format(Locale.ROOT, " of %.1f", last.total() / 1e6) : "";
        System.err.printf(Locale.ROOT, "%nfleet: download of model %s stopped: %.1f%s MB are kept in %s, and the same"
                + " command resumes it%n", model, kept / 1e6, of, partial);
    }

    private static void addCloud(List<String> providers, List<String> notes, String name, String setting,
            String variable) {
        if (setting != null) {
            providers.add(name);
            notes.add(name + ": " + variable + " is set");
        } else {
            notes.add(name + ": off (set " + variable + " to use it)");
        }
    }

    void print(PrintStream out) {
        notes.forEach(note -> out.println("  " + note));
    }
}
