package dev.speechfleet.core.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A real Redis 7 server, run from the {@code redis-server} binary shipped inside
 * {@code org.signal:embedded-redis}, on a free loopback port, without persistence unless it is given
 * a data directory (then with AOF). For development runs and tests when no {@code REDIS_URL} is
 * given; never for production.
 *
 * <p>The binary is extracted once into a cache directory (not a new temp directory per start).
 */
public final class EmbeddedRedis implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedRedis.class);
    private static final String VERSION = "7.0.15";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final int port;
    private final Process process;

    private EmbeddedRedis(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /**
     * How to run the server.
     *
     * @param port     loopback port
     * @param dataDir  where to keep the data with AOF ({@code appendonly yes}), reloaded by the next
     *                 start on the same directory; empty for no persistence at all
     * @param settings further {@code redis-server} settings, e.g. {@code maxmemory-policy}
     * @param workDir   where a server without persistence works (a cluster node keeps its
     *                  {@code nodes.conf} there); empty for the directory of the binary
     * @param arguments further {@code redis-server} arguments as given, for options that repeat
     *                  (such as {@code --user})
     */
    public record Options(int port, Optional<Path> dataDir, Map<String, String> settings, Optional<Path> workDir,
            List<String> arguments) {

        public Options {
            settings = Map.copyOf(settings);
            arguments = List.copyOf(arguments);
        }

        /** No persistence, default settings, on a free port. */
        public static Options defaults() {
            return new Options(freePort(), Optional.empty(), Map.of(), Optional.empty(), List.of());
        }

        public Options withDataDir(Path dir) {
            return new Options(port, Optional.of(dir), settings, workDir, arguments);
        }

        public Options withSetting(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(settings);
            more.put(name, value);
            return new Options(port, dataDir, more, workDir, arguments);
        }

        public Options withPort(int newPort) {
            return new Options(newPort, dataDir, settings, workDir, arguments);
        }

        public Options withWorkDir(Path dir) {
            return new Options(port, dataDir, settings, Optional.ofNullable(dir), arguments);
        }

        public Options withArguments(List<String> more) {
            List<String> all = new ArrayList<>(arguments);
            all.addAll(more);
            return new Options(port, dataDir, settings, workDir, all);
        }
    }

    /** Starts a server on a free loopback port. */
    public static EmbeddedRedis start() {
        return start(Options.defaults());
    }

    /** Starts a server on the given loopback port. */
    public static EmbeddedRedis start(int port) {
        return start(Options.defaults().withPort(port));
    }

    /**
     * Starts a server on the given loopback port with further {@code redis-server} arguments (for
     * example {@code --cluster-enabled yes}, or {@code --user …} for ACL users), working in
     * {@code dir} (where a cluster node keeps its {@code nodes.conf}); {@code null} means the
     * directory of the binary. No persistence.
     */
    public static EmbeddedRedis start(int port, Path dir, List<String> extraArguments) {
        return start(Options.defaults().withPort(port).withWorkDir(dir).withArguments(extraArguments));
    }

    /** Starts a server as {@code options} say. */
    public static EmbeddedRedis start(Options options) {
        Path binary = extractBinary();
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--port", Integer.toString(options.port()), "--bind", "127.0.0.1",
                "--daemonize", "no", "--protected-mode", "yes", "--save", ""));
        command.addAll(persistence(options.dataDir(), options.workDir().orElse(binary.getParent())));
        options.settings().forEach((name, value) -> command.addAll(List.of("--" + name, value)));
        command.addAll(options.arguments());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            EmbeddedRedis redis = new EmbeddedRedis(options.port(), process);
            redis.awaitReady();
            LOG.infof("Embedded Redis %s started on 127.0.0.1:%d (pid %d)%s", VERSION, options.port(), process.pid(),
                    options.dataDir().map(d -> ", AOF in " + d).orElse(", without persistence"));
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
    }

    /** AOF in the data directory (fsync every second, as production is advised to run), or none. */
    private static List<String> persistence(Optional<Path> dataDir, Path scratch) {
        if (dataDir.isEmpty()) {
            return List.of("--appendonly", "no", "--dir", scratch.toString());
        }
        try {
            Files.createDirectories(dataDir.get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the embedded Redis data directory " + dataDir.get(), e);
        }
        return List.of("--appendonly", "yes", "--appendfsync", "everysec",
                "--dir", dataDir.get().toAbsolutePath().toString());
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:port}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops the server and waits for it to exit. */
    public void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitReady() throws IOException {
        CountDownLatch ready = new CountDownLatch(1);
        StringBuilder output = new StringBuilder();
        Thread pump = new Thread(() -> pumpOutput(ready, output), "embedded-redis-" + port);
        pump.setDaemon(true);
        pump.start();
        try {
            if (!ready.await(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || !process.isAlive()) {
                process.destroyForcibly();
                throw new IllegalStateException("embedded Redis did not start on port " + port + ":\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while starting embedded Redis", e);
        }
    }

    private void pumpOutput(CountDownLatch ready, StringBuilder output) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (ready.getCount() > 0) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.contains("Ready to accept connections")) {
                        ready.countDown();
                    }
                }
            }
        } catch (IOException e) {
            // the process ended; awaitReady reports what it printed
        } finally {
            ready.countDown();
        }
    }

    private static synchronized Path extractBinary() {
        String name = "redis-server-" + VERSION + "-" + platform();
        Path dir = cacheDirectory();
        Path target = dir.resolve(name);
        if (Files.isExecutable(target)) {
            return target;
        }
        try (InputStream in = EmbeddedRedis.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("org.signal:embedded-redis has no binary " + name
                        + " for this platform; set REDIS_URL to use an external Redis 7");
            }
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, name, ".part");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract " + name + " to " + dir, e);
        }
    }

    private static Path cacheDirectory() {
        String configured = System.getenv("FLEET_CACHE_DIR");
        Path base = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "speech-fleet");
        return base.resolve("redis");
    }

    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String osPart = os.contains("mac") ? "darwin" : "linux";
        String archPart = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch;
        };
        return osPart + "-" + archPart;
    }

    /** A port that was free a moment ago on the loopback interface. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
