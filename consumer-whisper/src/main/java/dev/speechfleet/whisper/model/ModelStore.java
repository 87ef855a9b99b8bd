package dev.speechfleet.whisper.model;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Turns the model configuration into a verified local file: a configured path is used as it is
 * (checked against {@code whisper.model.sha256} when set); a named model is downloaded once into
 * the cache directory, checked against its pinned sha256 and moved into place atomically, so that
 * a reader never sees a partial or unverified model under the final name. An interrupted download
 * leaves {@code ggml-<name>.bin.part} behind, and the next attempt resumes it.
 */
public final class ModelStore {

    private static final Logger LOG = Logger.getLogger(ModelStore.class);
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Path cacheDir;
    private final URI baseUrl;
    private final ModelDownloader downloader;
    private final Consumer<DownloadProgress> progress;

    /** A store that logs download progress every 5 s. */
    public ModelStore(Path cacheDir, URI baseUrl, Duration downloadTimeout) {
        this(cacheDir, baseUrl, downloadTimeout, Duration.ofSeconds(5),
                p -> LOG.infof("downloading model %s: %s", p.model(), p.describe()));
    }

    /** A store that reports download progress to {@code progress} about once per {@code progressEvery}. */
    public ModelStore(Path cacheDir, URI baseUrl, Duration downloadTimeout, Duration progressEvery,
            Consumer<DownloadProgress> progress) {
        this.cacheDir = cacheDir;
        this.baseUrl = baseUrl;
        this.downloader = new ModelDownloader(downloadTimeout, progressEvery);
        this.progress = progress;
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
        Path partial = cacheDir.resolve(PinnedModels.fileName(name) + ".part");
        try {
            Files.createDirectories(cacheDir);
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE); FileLock lock = lock(channel, partial)) {
                if (Files.isRegularFile(target)) {
                    // Another process completed it while this one waited for the lock.
                    deleteIfEmpty(partial);
                    verify(target, expected, "the cached model (delete it to download it again)");
                    return target;
                }
                return complete(name, source, channel, partial, target, expected);
            }
        } catch (ModelDownloader.DownloadFailed e) {
            deleteIfEmpty(partial);
            throw new ModelDownloadException("could not download model " + name + " from " + source + ": "
                    + e.getMessage() + ". Check whisper.model.base-url and network access, or set"
                    + " whisper.model.path to a local model file", e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelUnavailableException("cannot write the download of model " + name + " into " + cacheDir
                    + ": " + e.getClass().getSimpleName() + " " + e.getMessage()
                    + "; set whisper.model.cache-dir to a writable directory", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelUnavailableException("download of model " + name + " was interrupted; what arrived is kept"
                    + " in " + partial + " and the next attempt resumes from there", e);
        }
    }

    /** Downloads what {@code partial} lacks, checks the whole file and moves it into place. */
    private Path complete(String name, URI source, FileChannel channel, Path partial, Path target, String expected)
            throws IOException, InterruptedException {
        logStart(name, source, channel.size());
        String actual = downloader.download(name, source, channel, progress);
        if (!actual.equals(expected)) {
            Files.delete(partial);
            String mismatch = "checksum mismatch: the file has sha256 " + actual + " but " + expected
                    + " was expected; it was discarded, and the next attempt downloads it again";
            throw new ModelDownloadException("model " + name + " from " + source + ": " + mismatch
                    + ". Check whisper.model.base-url and whisper.model.sha256", mismatch, null);
        }
        moveIntoPlace(partial, target);
        LOG.infof("downloaded model %s into %s, sha256 verified", name, target);
        return target;
    }

    /** One download per model file at a time, also across processes sharing the cache directory. */
    private static FileLock lock(FileChannel channel, Path partial) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                LOG.infof("waiting for another process that is downloading %s", partial);
                lock = channel.lock();
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            throw new IOException("this process is already downloading " + partial, e);
        }
    }

    private static void logStart(String name, URI source, long kept) {
        if (kept > 0) {
            LOG.infof("resuming the download of model %s from %s after %d bytes", name, source, kept);
        } else {
            LOG.infof("downloading model %s from %s", name, source);
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

    /** A partial file with nothing in it is no use to a later attempt. */
    private static void deleteIfEmpty(Path file) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) == 0) {
                Files.delete(file);
            }
        } catch (IOException e) {
            LOG.warnf("could not delete %s: %s", file, e.getMessage());
        }
    }
}
