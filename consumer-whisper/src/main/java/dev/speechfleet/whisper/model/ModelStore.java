package dev.speechfleet.whisper.model;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Turns the model configuration into a verified local file: a configured path is used as it is
 * (checked against {@code whisper.model.sha256} when set); a named model is downloaded once into
 * the cache directory, checked against its pinned sha256 and moved into place atomically, so that
 * a reader never sees a partial or unverified model under the final name.
 */
public final class ModelStore {

    private static final Logger LOG = Logger.getLogger(ModelStore.class);
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Path cacheDir;
    private final URI baseUrl;
    private final ModelDownloader downloader;

    public ModelStore(Path cacheDir, URI baseUrl, Duration downloadTimeout) {
        this.cacheDir = cacheDir;
        this.baseUrl = baseUrl;
        this.downloader = new ModelDownloader(downloadTimeout);
    }

    /** A model file given by path, verified when a checksum is configured. */
    public Path fromPath(Path path, Optional<String> sha256) {
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ModelUnavailableException("whisper.model.path points to " + path.toAbsolutePath()
                    + ", which is not a readable file; set whisper.model.path to a ggml model file,"
                    + " or remove it and set whisper.model.name to download one");
        }
        sha256.map(s -> Sha256.normalise(s, "whisper.model.sha256"))
                .ifPresent(expected -> verify(path, expected, "whisper.model.path"));
        return path;
    }

    /** A named model from the cache, downloaded first when it is not there yet. */
    public Path named(String name, Optional<String> configuredSha256) {
        String expected = expectedChecksum(name, configuredSha256);
        Path target = cacheDir.resolve(PinnedModels.fileName(name));
        if (Files.isRegularFile(target)) {
            verify(target, expected, "the cached model (delete it to download it again)");
            LOG.infof("using cached model %s", target);
            return target;
        }
        return download(name, target, expected);
    }

    private static String expectedChecksum(String name, Optional<String> configured) {
        if (!MODEL_NAME.matcher(name).matches()) {
            throw new ModelUnavailableException("whisper.model.name '" + name
                    + "' is not a model name such as tiny.en, base.en or small");
        }
        return configured.map(s -> Sha256.normalise(s, "whisper.model.sha256"))
                .or(() -> PinnedModels.sha256(name))
                .orElseThrow(() -> new ModelUnavailableException("no checksum is pinned for model '" + name
                        + "'; set whisper.model.sha256 to its sha256, or use a pinned model (tiny, tiny.en,"
                        + " base, base.en, small, small.en), or set whisper.model.path"));
    }

    private Path download(String name, Path target, String expected) {
        URI source = URI.create(baseUrl.toString().replaceAll("/+$", "") + "/" + PinnedModels.fileName(name));
        Path partial = null;
        try {
            Files.createDirectories(cacheDir);
            partial = Files.createTempFile(cacheDir, PinnedModels.fileName(name) + ".", ".part");
            LOG.infof("downloading model %s from %s into %s", name, source, cacheDir);
            String actual = downloader.download(source, partial);
            if (!actual.equals(expected)) {
                throw new ModelUnavailableException("model " + name + " from " + source + " has sha256 " + actual
                        + " but " + expected + " was expected; it was discarded. Check whisper.model.base-url"
                        + " and whisper.model.sha256");
            }
            moveIntoPlace(partial, target);
            return target;
        } catch (IOException e) {
            throw new ModelUnavailableException("could not download model " + name + " from " + source + ": "
                    + e.getMessage() + ". Check whisper.model.base-url and network access, or set"
                    + " whisper.model.path to a local model file", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelUnavailableException("download of model " + name + " was interrupted", e);
        } finally {
            deleteQuietly(partial);
        }
    }

    private static void moveIntoPlace(Path partial, Path target) throws IOException {
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // The partial file lives in the cache directory itself, so this only happens on odd file systems.
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void verify(Path file, String expected, String what) {
        String actual;
        try {
            actual = Sha256.of(file);
        } catch (IOException e) {
            throw new ModelUnavailableException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!actual.equals(expected)) {
            throw new ModelUnavailableException(what + " " + file + " has sha256 " + actual + " but " + expected
                    + " was expected: the file is corrupt or not the configured model");
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("could not delete %s: %s", file, e.getMessage());
        }
    }
}
