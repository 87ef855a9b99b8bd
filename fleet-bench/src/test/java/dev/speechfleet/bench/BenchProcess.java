package dev.speechfleet.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process of a benchmark run: a service from its packaged {@code quarkus-app}, or a main class of
 * this module on the test class path, each a JVM of its own with the same JVM options. With
 * {@code -Dbench.jfr=true} every process records a JFR profile into {@code target/bench-jfr/}.
 */
final class BenchProcess implements AutoCloseable {

    /** Heap of every service JVM, as a container of modest size would give it. */
    static final String HEAP = System.getProperty("bench.heap", "512m");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;
    private final Path recording;

    private BenchProcess(String name, Process process, Path log, int port, Path recording) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
        this.recording = recording;
    }

    static Path root() {
        return Path.of(System.getProperty("fleet.root", "..")).toAbsolutePath().normalize();
    }

    /** Starts {@code module}'s packaged application on {@code port}. */
    static BenchProcess service(String name, String module, int port, Map<String, String> properties)
            throws IOException {
        return service(name, module, port, properties, root());
    }

    /**
     * Starts {@code module}'s application as packaged under {@code build}: this tree, or a copy of an
     * earlier build of it (the modules' {@code target/} directories), to compare the two in one run.
     */
    static BenchProcess service(String name, String module, int port, Map<String, String> properties, Path build)
            throws IOException {
        Path jar = build.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package " + module + " first (-pl fleet-bench -am)");
        }
        Path recording = recording(name);
        List<String> command = jvm(properties, recording);
        command.add("-Dquarkus.http.port=" + port);
        command.addAll(List.of("-jar", jar.toString()));
        return start(name, command, port, recording);
    }

    /** Starts {@code main} of this module's test class path. */
    static BenchProcess main(String name, Class<?> main, Map<String, String> properties) throws IOException {
        return main(name, main, properties, root());
    }

    /**
     * Starts {@code main} of this module's test class path, whose entries inside this tree are taken from
     * {@code build} instead (a copy of an earlier build's {@code target/} directories).
     */
    static BenchProcess main(String name, Class<?> main, Map<String, String> properties, Path build)
            throws IOException {
        Path recording = recording(name);
        List<String> command = jvm(properties, recording);
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        if (!build.equals(root())) {
            classPath = classPath.replace(root() + "/", build + "/");
        }
        command.addAll(List.of("-cp", classPath, main.getName()));
        return start(name, command, -1, recording);
    }

    /** Where the process records its JFR profile, or null when {@code bench.jfr} is not set. */
    private static Path recording(String name) throws IOException {
        if (!Boolean.getBoolean("bench.jfr")) {
            return null;
        }
        Path dir = root().resolve("fleet-bench/target/bench-jfr");
        Files.createDirectories(dir);
        return dir.resolve(name + "-" + System.currentTimeMillis() + ".jfr");
    }

    private static List<String> jvm(Map<String, String> properties, Path recording) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-Xmx" + HEAP));
        if (recording != null) {
            command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + recording);
        }
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        return command;
    }

    private static BenchProcess start(String name, List<String> command, int port, Path recording)
            throws IOException {
        Path logs = root().resolve("fleet-bench/target/bench-logs");
        Files.createDirectories(logs);
        // One log per process: two fleets side by side (BuildComparisonBenchmarkTest) run processes of one name.
        Path log = logs.resolve(name + "-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new BenchProcess(name, process, log, port, recording);
    }

    /** The JFR recording, once the process has ended cleanly; null when none was made. */
    Path recording() {
        return recording != null && Files.isRegularFile(recording) ? recording : null;
    }

    /** Waits until the service answers HTTP, or its log says {@code READY} (a main class); fails when it died. */
    BenchProcess awaitUp() {
        await(name + " up").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            return port > 0 ? answers() : Files.readString(log).contains("READY");
        });
        return this;
    }

    private boolean answers() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/live"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() > 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String name() {
        return name;
    }

    /** The process's output (stdout and stderr). */
    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Resident memory of the process (Linux {@code VmRSS}), in KiB; -1 when unknown. */
    long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Writes {@code line} to the process's standard input (a main class that takes commands). */
    void send(String line) throws IOException {
        var in = process.getOutputStream();
        in.write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        in.flush();
    }

    /** SIGKILL: the JVM gets no chance to finish or acknowledge anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM (a JFR recording is written then), then SIGKILL if it does not stop in time. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
