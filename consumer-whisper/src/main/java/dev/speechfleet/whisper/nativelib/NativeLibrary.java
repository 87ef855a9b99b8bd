package dev.speechfleet.whisper.nativelib;

import io.github.givimad.whisperjni.WhisperJNI;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Loads whisper-jni's native libraries from a fixed directory instead of the new temporary directory
 * whisper-jni would create on every start: the libraries are extracted from the whisper-jni jar once
 * (again only when their content differs) and whisper-jni is pointed at them through its
 * {@code io.github.givimad.whisperjni.libdir} property. The libraries find each other through
 * their {@code $ORIGIN} run path, so the ggml variant is stored under the name {@code libggml.so}.
 */
public final class NativeLibrary {

    private static final Logger LOG = Logger.getLogger(NativeLibrary.class);
    static final String LIBDIR_PROPERTY = "io.github.givimad.whisperjni.libdir";
    private static final Set<String> AVX2_FLAGS = Set.of("avx", "avx2", "fma", "f16c");

    private static Path loadedFrom;

    private NativeLibrary() {
    }

    /** One library file: where it is inside the jar, and the name it must have on disk. */
    record LibraryFile(String resource, String fileName) {
    }

    /**
     * Extracts the libraries for this platform into {@code baseDir} and loads them; later calls with
     * the same directory do nothing.
     *
     * @return the directory the libraries were loaded from
     */
    public static synchronized Path load(Path baseDir) {
        Path dir = baseDir.resolve(platformDirectory());
        if (loadedFrom != null) {
            if (!loadedFrom.equals(dir)) {
                LOG.warnf("whisper native libraries already loaded from %s; ignoring %s", loadedFrom, dir);
            }
            return loadedFrom;
        }
        try {
            extractAll(dir, cpuFlags());
            System.setProperty(LIBDIR_PROPERTY, dir.toAbsolutePath().toString());
            WhisperJNI.loadLibrary(message -> LOG.debug(message));
            WhisperJNI.setLibraryLogger(message -> LOG.debug(message.strip()));
        } catch (IOException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("cannot load the whisper native libraries from " + dir
                    + " (whisper.native-dir must be a writable directory on a supported platform): " + e.getMessage(),
                    e);
        }
        loadedFrom = dir;
        LOG.infof("whisper native libraries loaded from %s", dir);
        return dir;
    }

    /** Writes the platform's libraries into {@code dir}, leaving files that already have the right content. */
    static void extractAll(Path dir, Set<String> cpuFlags) throws IOException {
        Files.createDirectories(dir);
        for (LibraryFile file : filesForPlatform(cpuFlags)) {
            extract(file, dir);
        }
    }

    /** A sub-directory per whisper-jni version and platform, so that upgrades never mix libraries. */
    static String platformDirectory() {
        return "whisper-jni-" + whisperJniVersion() + "/" + platform();
    }

    private static String whisperJniVersion() {
        try (InputStream in = WhisperJNI.class.getResourceAsStream(
                "/META-INF/maven/io.github.givimad/whisper-jni/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            java.util.Properties properties = new java.util.Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        boolean amd64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        if (os.contains("linux") && amd64) {
            return "debian-amd64";
        }
        if (os.contains("linux") && arm64) {
            return "debian-arm64";
        }
        if ((os.contains("mac") || os.contains("darwin")) && (amd64 || arm64)) {
            return amd64 ? "macos-amd64" : "macos-arm64";
        }
        throw new IllegalStateException("whisper-jni has no native libraries this service can load on " + os + "/"
                + arch + " (supported: Linux amd64/arm64, macOS)");
    }

    static List<LibraryFile> filesForPlatform(Set<String> cpuFlags) {
        String platform = platform();
        String prefix = "/" + platform + "/";
        if (platform.startsWith("macos")) {
            return List.of(new LibraryFile(prefix + "libggml.dylib", "libggml.dylib"),
                    new LibraryFile(prefix + "libwhisper.1.dylib", "libwhisper.1.dylib"),
                    new LibraryFile(prefix + "libwhisper-jni.dylib", "libwhisper-jni.dylib"));
        }
        return List.of(new LibraryFile(prefix + ggmlVariant(platform, cpuFlags), "libggml.so"),
                new LibraryFile(prefix + "libwhisper.so.1", "libwhisper.so.1"),
                new LibraryFile(prefix + "libwhisper-jni.so", "libwhisper-jni.so"));
    }

    /** The fastest ggml build the CPU can run, chosen as whisper-jni itself chooses it. */
    static String ggmlVariant(String platform, Set<String> cpuFlags) {
        if (platform.equals("debian-amd64")) {
            return cpuFlags.containsAll(AVX2_FLAGS) ? "libggml+mf16c+mfma+mavx+mavx2.so" : "libggml.so";
        }
        return cpuFlags.contains("fphp") ? "libggml+fp16.so" : "libggml.so";
    }

    private static Set<String> cpuFlags() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return Set.of();
        }
        try {
            return Files.readAllLines(cpuinfo).stream()
                    .filter(line -> line.startsWith("flags") || line.startsWith("Features"))
                    .findFirst()
                    .map(line -> Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")))
                    .orElse(Set.of());
        } catch (IOException e) {
            return Set.of();
        }
    }

    private static void extract(LibraryFile file, Path dir) throws IOException {
        byte[] content;
        try (InputStream in = WhisperJNI.class.getResourceAsStream(file.resource())) {
            if (in == null) {
                throw new IOException("the whisper-jni jar has no " + file.resource());
            }
            content = in.readAllBytes();
        }
        Path target = dir.resolve(file.fileName());
        if (Files.isRegularFile(target) && java.util.Arrays.equals(Files.readAllBytes(target), content)) {
            return;
        }
        Path partial = Files.createTempFile(dir, file.fileName() + ".", ".part");
        try {
            Files.write(partial, content);
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
            LOG.infof("extracted %s to %s", file.resource(), target);
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
