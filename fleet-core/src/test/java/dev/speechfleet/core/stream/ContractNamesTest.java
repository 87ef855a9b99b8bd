package dev.speechfleet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis names are spelled in fleet-core's contract classes only (this package): the main sources of
 * every module name a key, an encoding and, where they talk to Redis, a hash or entry field through
 * those classes. Lua scripts count as code that talks to Redis.
 */
class ContractNamesTest {

    /** The contract classes: every name below is read from them. */
    private static final Path CONTRACTS = Path.of("src/main/java/dev/speechfleet/core/stream");
    private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"(.*?)\"\"\"", Pattern.DOTALL);
    private static final Pattern JAVA_STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern LUA_STRING = Pattern.compile("'([^'\\n]*)'");
    /** Entry-field accessors of {@link EntryFields} (in code using them): their first argument is a field name. */
    private static final Pattern FIELD_ACCESS = Pattern.compile(
            "\\.(?:string|requiredString|longValue|requiredLong|doubleValue|bytes|list|has|put|putList)\\(\"([^\"]*)\"");

    /** An id no key prefix contains. */
    private static final String ID = "zz9";

    private static Set<String> keys;
    private static Set<String> encodings;
    /** Fields of the hashes: Java code that talks to Redis spells none of them. */
    private static Set<String> hashFields;
    /** Every field, of hashes and entries: no Lua script and no entry-field access spells one. */
    private static Set<String> fields;
    private static List<Path> sources;

    @BeforeAll
    static void readContracts() throws IOException {
        keys = new TreeSet<>(constants(StreamKeys.class));
        // The key builders' fixed parts: a key up to the id it was built for.
        for (String key : List.of(StreamKeys.audioStream(ID), StreamKeys.providerHealth(ID),
                StreamKeys.providerCapabilities(ID), StreamKeys.device(ID), StreamKeys.session(ID),
                StreamKeys.sessionResults(ID), StreamKeys.audioBlob(ID), StreamKeys.aggregatorChunk(ID, 1),
                StreamKeys.aggregatorEmitted(ID, 1), StreamKeys.assemblyAiTranscript(ID))) {
            keys.add(key.substring(0, key.indexOf(ID)).replace("{", ""));
        }
        keys.remove(StreamKeys.AGGREGATOR_GROUP); // also the name the aggregator signs its dead letters with
        encodings = constants(AudioEncodings.class);
        hashFields = new TreeSet<>();
        for (Class<?> contract : List.of(SessionFields.class, DeviceFields.class, ConsensusStateFields.class,
                AssemblyAiTranscriptFields.class)) {
            hashFields.addAll(constants(contract));
        }
        hashFields.removeIf(name -> name.contains("\n") || name.length() < 2);
        fields = new TreeSet<>(hashFields);
        for (Class<?> contract : List.of(AudioFields.class, HypothesisFields.class, ResultFields.class,
                FailureEvent.class)) {
            fields.addAll(constants(contract));
        }
        fields.removeIf(name -> name.length() < 2);
        Path root = Path.of("").toAbsolutePath().getParent();
        try (Stream<Path> modules = Files.list(root)) {
            sources = modules.map(module -> module.resolve("src/main/java")).filter(Files::isDirectory)
                    .flatMap(ContractNamesTest::javaFiles).filter(file -> !file.startsWith(
                            root.resolve("fleet-core").resolve(CONTRACTS))).toList();
        }
    }

    @Test
    void theContractsAreReadAndTheSourcesFound() {
        assertThat(keys).contains("audio:stream:", "session:", "device:", StreamKeys.HYPOTHESES);
        assertThat(encodings).contains("pcm_s16le", "opus");
        assertThat(hashFields).contains("next_seq", "token_hash", "hard_deadline", "upload_url", "device_id");
        assertThat(fields).containsAll(hashFields).contains("chunk_id", "fallback_providers", "error_code");
        assertThat(sources).as("main sources of the modules").hasSizeGreaterThan(150)
                .anyMatch(file -> file.toString().endsWith("SessionStore.java"));
    }

    @Test
    void noKeyOrEncodingIsSpelledOutsideTheContracts() {
        List<String> found = new ArrayList<>();
        for (Path file : sources) {
            for (String literal : literals(read(file))) {
                boolean key = keys.stream().anyMatch(k -> literal.equals(k) || k.endsWith(":") && literal.startsWith(k));
                if (key || encodings.contains(literal)) {
                    found.add(file.getFileName() + ": \"" + literal + "\"");
                }
            }
        }
        assertThat(found).isEmpty();
    }

    @Test
    void codeThatTalksToRedisNamesFieldsThroughTheContracts() {
        List<String> found = new ArrayList<>();
        for (Path file : sources) {
            String source = read(file);
            List<String> named = new ArrayList<>(luaLiterals(source));
            if (talksToRedis(source)) {
                javaLiterals(source).stream().filter(hashFields::contains).forEach(named::add);
            }
            if (source.contains("EntryFields") || source.contains(".fields()")) {
                Matcher access = FIELD_ACCESS.matcher(source);
                while (access.find()) {
                    named.add(access.group(1));
                }
            }
            named.stream().filter(fields::contains).forEach(name -> found.add(file.getFileName() + ": " + name));
        }
        assertThat(found).isEmpty();
    }

    private static boolean talksToRedis(String source) {
        return source.contains("import io.vertx.redis.client.") || source.contains("import dev.speechfleet.core.redis.");
    }

    private static List<String> literals(String source) {
        List<String> all = new ArrayList<>(javaLiterals(source));
        all.addAll(luaLiterals(source));
        return all;
    }

    /** String literals outside text blocks. */
    private static List<String> javaLiterals(String source) {
        List<String> out = new ArrayList<>();
        Matcher m = JAVA_STRING.matcher(TEXT_BLOCK.matcher(source).replaceAll(""));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Single-quoted strings inside text blocks: the literals of Lua scripts. */
    private static List<String> luaLiterals(String source) {
        List<String> out = new ArrayList<>();
        Matcher block = TEXT_BLOCK.matcher(source);
        while (block.find()) {
            Matcher m = LUA_STRING.matcher(block.group(1));
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    private static Set<String> constants(Class<?> contract) {
        Set<String> values = new TreeSet<>();
        for (Field field : contract.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers) && Modifier.isPublic(modifiers) && field.getType() == String.class) {
                try {
                    values.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return values;
    }

    private static Stream<Path> javaFiles(Path dir) {
        try {
            return Files.walk(dir).filter(file -> file.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
