package dev.speechfleet.images;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Builds a base image for machines that cannot reach a registry: a {@code docker save} archive of one
 * layer holding a Java runtime made with jlink from the running JDK (at {@code /opt/java/openjdk},
 * where the production base, {@code eclipse-temurin}, has its own), the host's shared libraries that
 * runtime and whisper-jni's native libraries need (read from their ELF headers), {@code /tmp}, and a
 * passwd entry for the fleet's user 1001. Jib reads it as {@code tar://…} (ADR 0074). A test-only
 * base: the production base image is a real distribution's.
 *
 * <p>Usage: {@code JreBaseImage <output.tar> [jar-with-native-libraries …]}
 */
public final class JreBaseImage {

    static final String JAVA_HOME = "opt/java/openjdk";
    private static final String MODULES = "java.se,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.zipfs,"
            + "jdk.management,jdk.naming.dns,jdk.net,jdk.localedata";
    private static final List<Path> LIBRARY_DIRS = List.of(Path.of("/lib/x86_64-linux-gnu"),
            Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/lib64"), Path.of("/usr/lib64"), Path.of("/lib"),
            Path.of("/usr/lib"));
    private static final String LIBRARIES = "lib/x86_64-linux-gnu/";

    private JreBaseImage() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: JreBaseImage <output.tar> [jar-with-native-libraries …]");
        }
        Path output = Path.of(args[0]);
        Path work = Files.createTempDirectory("jre-base");
        Path jre = work.resolve("jre");
        jlink(jre);
        Map<String, byte[]> files = new TreeMap<>();
        Set<String> executables = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(jre)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String name = JAVA_HOME + "/" + jre.relativize(file).toString().replace('\\', '/');
                files.put(name, Files.readAllBytes(file));
                if (Files.isExecutable(file)) {
                    executables.add(name);
                }
            }
        }
        List<Map.Entry<String, byte[]>> extraElf = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            extraElf.addAll(nativeLibrariesIn(Path.of(args[i])));
        }
        addSharedLibraries(files, executables, extraElf);
        files.put("etc/passwd", ("root:x:0:0:root:/root:/sbin/nologin\n"
                + "fleet:x:1001:1001:speech fleet:/tmp:/sbin/nologin\n").getBytes(StandardCharsets.US_ASCII));
        files.put("etc/group", "root:x:0:\nfleet:x:1001:\n".getBytes(StandardCharsets.US_ASCII));
        Files.createDirectories(output.toAbsolutePath().getParent());
        write(output, layer(files, executables));
        deleteTree(work);
        System.out.printf("wrote %s: %d files, %d MiB%n", output, files.size(), Files.size(output) >> 20);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void jlink(Path output) {
        ToolProvider jlink = ToolProvider.findFirst("jlink")
                .orElseThrow(() -> new IllegalStateException("this JDK has no jlink"));
        StringWriter log = new StringWriter();
        int status = jlink.run(new PrintWriter(log), new PrintWriter(log), "--add-modules", MODULES, "--strip-debug",
                "--no-header-files", "--no-man-pages", "--output", output.toString());
        if (status != 0) {
            throw new IllegalStateException("jlink failed (" + status + "):\n" + log);
        }
    }

    /** The linux-amd64 shared libraries packed in a jar (whisper-jni's), by file name. */
    private static List<Map.Entry<String, byte[]>> nativeLibrariesIn(Path jar) throws IOException {
        List<Map.Entry<String, byte[]>> libraries = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                String name = entry.getName();
                boolean library = name.endsWith(".so") || name.contains(".so.");
                if (library && (name.contains("x86_64") || name.contains("amd64"))) {
                    libraries.add(Map.entry(name, zip.readAllBytes()));
                }
            }
        }
        return libraries;
    }

    /**
     * Copies, from the host, every shared library the runtime's and the extra native files' ELF headers
     * name, transitively, and the dynamic loader; libraries the runtime brings itself are skipped.
     */
    private static void addSharedLibraries(Map<String, byte[]> files, Set<String> executables,
            List<Map.Entry<String, byte[]>> extraElf) throws IOException {
        Set<String> provided = new TreeSet<>();
        Deque<Elf> pending = new ArrayDeque<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            if (isElf(file.getValue())) {
                provided.add(file.getKey().substring(file.getKey().lastIndexOf('/') + 1));
                pending.add(Elf.read(file.getValue(), file.getKey()));
            }
        }
        for (Map.Entry<String, byte[]> extra : extraElf) {
            provided.add(extra.getKey().substring(extra.getKey().lastIndexOf('/') + 1));
            pending.add(Elf.read(extra.getValue(), extra.getKey()));
        }
        Set<String> copied = new TreeSet<>();
        while (!pending.isEmpty()) {
            Elf elf = pending.pop();
            if (elf.interpreter().isPresent() && copied.add(elf.interpreter().get())) {
                String interpreter = elf.interpreter().get().substring(1);
                files.put(interpreter, Files.readAllBytes(Path.of("/").resolve(interpreter)));
                executables.add(interpreter);
            }
            for (String library : elf.needed()) {
                if (provided.contains(library) || !copied.add(library)) {
                    continue;
                }
                Path host = find(library);
                byte[] content = Files.readAllBytes(host);
                files.put(LIBRARIES + library, content);
                executables.add(LIBRARIES + library);
                pending.add(Elf.read(content, host.toString()));
            }
        }
    }

    private static Path find(String library) {
        return LIBRARY_DIRS.stream().map(dir -> dir.resolve(library)).filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new IllegalStateException("shared library " + library + " not found on this host"));
    }

    private static boolean isElf(byte[] bytes) {
        return bytes.length > 64 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
    }

    /** The single layer: directories, then files, with their modes. */
    private static byte[] layer(Map<String, byte[]> files, Set<String> executables) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(bytes)) {
            Set<String> directories = new TreeSet<>();
            for (String name : files.keySet()) {
                for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
                    directories.add(name.substring(0, slash));
                }
            }
            tar.directory("tmp", 01777);
            for (String directory : directories) {
                tar.directory(directory, 0755);
            }
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                tar.file(file.getKey(), executables.contains(file.getKey()) ? 0755 : 0644, file.getValue());
            }
        }
        return bytes.toByteArray();
    }

    /** A {@code docker save} archive: manifest.json, the image configuration, the layer. */
    private static void write(Path output, byte[] layer) throws IOException, NoSuchAlgorithmException {
        String diffId = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(layer));
        String config = """
                {"architecture":"amd64","os":"linux","config":{"Env":["PATH=/%1$s/bin:/usr/bin:/bin",\
                "JAVA_HOME=/%1$s","LANG=C.UTF-8"],"User":"1001:1001","WorkingDir":"/"},\
                "rootfs":{"type":"layers","diff_ids":["%2$s"]},\
                "history":[{"created_by":"dev.speechfleet.images.JreBaseImage (jlink %3$s)"}]}\
                """.formatted(JAVA_HOME, diffId, Runtime.version());
        String configName = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(config.getBytes(StandardCharsets.UTF_8))) + ".json";
        String manifest = "[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"speechfleet/jre-base:"
                + Runtime.version().feature() + "\"],\"Layers\":[\"layer.tar\"]}]";
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("manifest.json", manifest.getBytes(StandardCharsets.UTF_8));
        entries.put(configName, config.getBytes(StandardCharsets.UTF_8));
        entries.put("layer.tar", layer);
        Path partial = output.resolveSibling(output.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(partial); TarWriter tar = new TarWriter(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                tar.file(entry.getKey(), 0644, entry.getValue());
            }
        }
        Files.move(partial, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
