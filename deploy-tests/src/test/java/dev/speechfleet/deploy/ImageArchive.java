package dev.speechfleet.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * A {@code docker save} image archive as Jib writes it: {@code manifest.json}, the image configuration,
 * and its layers (gzipped tar files, PAX headers included). Reads the configuration and lists or
 * extracts the files of every layer, without any container tool.
 */
final class ImageArchive {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One file of a layer. */
    record LayerFile(String path, char type, int mode, long size, String linkTarget, byte[] content) {
        boolean regular() {
            return type == '0' || type == 0;
        }
    }

    private final Map<String, byte[]> entries;
    private final JsonNode manifest;
    private final JsonNode config;

    private ImageArchive(Map<String, byte[]> entries) throws IOException {
        this.entries = entries;
        this.manifest = JSON.readTree(entries.get("manifest.json")).get(0);
        this.config = JSON.readTree(entries.get(manifest.path("Config").asText()));
    }

    static ImageArchive read(Path archive) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(archive)) {
            for (LayerFile file : tar(in, true)) {
                entries.put(file.path(), file.content());
            }
        }
        return new ImageArchive(entries);
    }

    /** The first manifest entry: {@code Config}, {@code RepoTags}, {@code Layers}. */
    JsonNode manifest() {
        return manifest;
    }

    /** The image configuration's {@code config} object: User, Entrypoint, Env, ExposedPorts, WorkingDir. */
    JsonNode config() {
        return config.path("config");
    }

    /** The environment as a map. */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        config().path("Env").forEach(e -> {
            String pair = e.asText();
            env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        });
        return env;
    }

    /** Every file of every layer, in layer order; contents kept only when {@code withContent}. */
    List<LayerFile> layerFiles(boolean withContent) throws IOException {
        List<LayerFile> files = new ArrayList<>();
        for (JsonNode layer : manifest.path("Layers")) {
            byte[] bytes = entries.get(layer.asText());
            InputStream in = new ByteArrayInputStream(bytes);
            boolean gzipped = bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
            files.addAll(tar(gzipped ? new GZIPInputStream(in) : in, withContent));
        }
        return files;
    }

    /** Unpacks every layer, in order, into {@code root} (as a container runtime does; no whiteouts are expected). */
    void extract(Path root) throws IOException {
        for (LayerFile file : layerFiles(true)) {
            if (file.path().contains(".wh.")) {
                throw new IOException("whiteout files are not expected in the fleet's images: " + file.path());
            }
            Path target = root.resolve(file.path()).normalize();
            if (!target.startsWith(root)) {
                throw new IOException("entry outside the root: " + file.path());
            }
            switch (file.type()) {
                case '5' -> Files.createDirectories(target);
                case '2' -> {
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(file.linkTarget()));
                }
                default -> {
                    Files.createDirectories(target.getParent());
                    Files.write(target, file.content());
                }
            }
            if (file.type() != '2') {
                Files.setPosixFilePermissions(target, permissions(file.mode()));
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }

    /** Reads a tar stream: ustar with prefix, PAX ('x') path and size records, GNU long names ('L'). */
    private static List<LayerFile> tar(InputStream in, boolean withContent) throws IOException {
        List<LayerFile> files = new ArrayList<>();
        Map<String, String> pax = new HashMap<>();
        String longName = null;
        byte[] header = new byte[512];
        while (in.readNBytes(header, 0, 512) == 512 && !allZero(header)) {
            char type = (char) header[156];
            String name = field(header, 0, 100);
            String prefix = field(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = Long.parseLong(pax.getOrDefault("size", octalOrZero(field(header, 124, 12))));
            int mode = Integer.parseInt(octalOrZero(field(header, 100, 8)));
            byte[] content = in.readNBytes((int) size);
            in.skipNBytes((512 - size % 512) % 512);
            if (type == 'x') {
                pax = paxRecords(content);
                continue;
            }
            if (type == 'g') {
                continue;
            }
            if (type == 'L') {
                longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
                continue;
            }
            String path = pax.getOrDefault("path", longName != null ? longName : name);
            if (path.startsWith("./")) {
                path = path.substring(2);
            }
            if (path.startsWith("/")) {
                path = path.substring(1);
            }
            files.add(new LayerFile(path, type, mode, size, field(header, 157, 100), withContent ? content : null));
            pax = new HashMap<>();
            longName = null;
        }
        return files;
    }

    private static Map<String, String> paxRecords(byte[] content) {
        Map<String, String> records = new HashMap<>();
        String text = new String(content, StandardCharsets.UTF_8);
        int at = 0;
        while (at < text.length()) {
            int space = text.indexOf(' ', at);
            int length = Integer.parseInt(text.substring(at, space));
            String record = new String(content, at, length, StandardCharsets.UTF_8);
            String keyValue = record.substring(record.indexOf(' ') + 1, record.length() - 1);
            records.put(keyValue.substring(0, keyValue.indexOf('=')), keyValue.substring(keyValue.indexOf('=') + 1));
            at += length;
        }
        return records;
    }

    private static String octalOrZero(String octal) {
        String digits = octal.trim();
        return digits.isEmpty() ? "0" : Long.toString(Long.parseLong(digits, 8));
    }

    private static String field(byte[] header, int at, int length) {
        int end = at;
        while (end < at + length && header[end] != 0) {
            end++;
        }
        return new String(header, at, end - at, StandardCharsets.UTF_8);
    }

    private static boolean allZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
