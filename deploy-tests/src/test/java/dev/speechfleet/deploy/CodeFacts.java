package dev.speechfleet.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speechfleet.core.config.FleetConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the code says, read from the code itself: the service modules and the provider each consumer
 * module serves, every configuration key a module understands (its {@code @ConfigMapping} interfaces
 * and fleet-core's, its application.properties and the variables they read, and the Quarkus
 * extensions' documented keys) with defaults, HTTP ports and health endpoints.
 */
final class CodeFacts {

    /** The services that deploy on their own (each a Deployment named after its module). */
    static final List<String> SERVICE_MODULES = List.of("router-service", "results-aggregator", "consumer-whisper",
            "consumer-deepgram", "consumer-assemblyai", "consumer-parakeet");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.-]+)(?::[^}]*)?}");
    private static final Pattern METER_NAME = Pattern.compile("\"([a-z][a-z0-9_]*(?:\\.[a-z0-9_]+)+)\"");
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix = \"([^\"]+)\"\\)");
    private static final Set<String> HEALTH_PATHS = Set.of("/q/health", "/q/health/live", "/q/health/ready",
            "/q/health/started");

    private final Path root;
    private final Map<String, Map<String, String>> keysByModule = new HashMap<>();
    private final Map<String, String> providerByModule = new LinkedHashMap<>();
    private final Set<String> quarkusKeys;

    CodeFacts(Path root) {
        this.root = root;
        this.quarkusKeys = quarkusKeys();
        for (String module : SERVICE_MODULES) {
            keysByModule.put(module, keysOf(module));
            providerOf(module).ifPresent(p -> providerByModule.put(module, p));
        }
    }

    static CodeFacts ofRepository() {
        return new CodeFacts(Path.of(System.getProperty("fleet.root", "..")).toAbsolutePath().normalize());
    }

    Path root() {
        return root;
    }

    /** Consumer module → the provider its TranscriptionProvider bean serves ({@code NAME}). */
    Map<String, String> providerByModule() {
        return providerByModule;
    }

    /** Whether {@code module} understands {@code key} (wildcards of map keys included). */
    boolean knowsKey(String module, String key) {
        return matchingKey(module, key, k -> k, "[^.]+").isPresent();
    }

    /**
     * The configuration key an environment variable sets in {@code module}, found the way SmallRye
     * Config maps variables (every non-alphanumeric character to {@code _}, upper case), or a
     * variable its application.properties reads directly ({@code ${REDIS_URL:…}}).
     */
    Optional<String> keyForEnv(String module, String env) {
        return matchingKey(module, env, CodeFacts::envName, "[A-Z0-9_]+")
                .or(() -> placeholders(module).contains(env) ? Optional.of("${" + env + "}") : Optional.empty());
    }

    /** The default of a key from its {@code @WithDefault}, if it has one. */
    Optional<String> defaultOf(String module, String key) {
        return Optional.ofNullable(keysByModule.get(module).get(key));
    }

    /** {@code quarkus.http.port} of the module. */
    int httpPort(String module) {
        return Integer.parseInt(applicationProperties(module).getProperty("quarkus.http.port"));
    }

    /** The health endpoints the module serves: SmallRye Health's, when the module has the extension. */
    Set<String> healthPaths(String module) {
        return read(root.resolve(module).resolve("pom.xml")).contains("<artifactId>quarkus-smallrye-health</artifactId>")
                ? HEALTH_PATHS : Set.of();
    }

    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9*]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    /** The key whose {@code form} is {@code target}; a {@code *} of a map key matches {@code wildcard}. */
    private Optional<String> matchingKey(String module, String target,
            java.util.function.UnaryOperator<String> form, String wildcard) {
        List<String> candidates = new ArrayList<>(keysByModule.get(module).keySet());
        candidates.addAll(quarkusKeys);
        for (String key : candidates) {
            String shape = form.apply(key);
            boolean matches = key.contains("*")
                    ? target.matches(Stream.of(shape.split("\\*", -1)).map(Pattern::quote)
                            .collect(java.util.stream.Collectors.joining(wildcard)))
                    : shape.equals(target);
            if (matches) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    private Set<String> placeholders(String module) {
        Set<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(read(root.resolve(module).resolve("src/main/resources/application.properties")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private Properties applicationProperties(String module) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(read(root.resolve(module).resolve("src/main/resources/application.properties"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** Keys with their defaults: the module's mappings, fleet-core's FleetConfig, its application.properties. */
    private Map<String, String> keysOf(String module) {
        Map<String, String> keys = new LinkedHashMap<>();
        collect(FleetConfig.class, "fleet", keys);
        for (Class<?> mapping : mappingsOf(module)) {
            collect(mapping, mapping.getAnnotation(ConfigMapping.class).prefix(), keys);
        }
        for (String key : applicationProperties(module).stringPropertyNames()) {
            if (!key.startsWith("%")) {
                keys.putIfAbsent(key.replaceAll("\"[^\"]*\"", "*"), applicationProperties(module).getProperty(key));
            }
        }
        return keys;
    }

    /**
     * The meter names the services' main sources spell, as Prometheus shows them without their type's
     * suffix ({@code provider.cost.usd} is {@code provider_cost_usd}): the dotted string literals of the
     * source files that register meters (those that use Micrometer), in the services and fleet-core.
     */
    Set<String> meterNames() {
        Set<String> names = new TreeSet<>();
        List<String> modules = new ArrayList<>(SERVICE_MODULES);
        modules.add("fleet-core");
        for (String module : modules) {
            try (Stream<Path> files = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String source = read(file);
                    if (!source.contains("import io.micrometer.core.instrument.")) {
                        continue;
                    }
                    Matcher literal = METER_NAME.matcher(source);
                    while (literal.find()) {
                        names.add(literal.group(1).replace('.', '_'));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    /** The {@code @ConfigMapping} interfaces in the module's sources, loaded from the test class path. */
    private List<Class<?>> mappingsOf(String module) {
        Path sources = root.resolve(module).resolve("src/main/java");
        List<Class<?>> mappings = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (MAPPING.matcher(read(file)).find()) {
                    mappings.add(load(sources.relativize(file).toString().replace(".java", "").replace('/', '.')));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return mappings;
    }

    /** The provider name of the module's TranscriptionProvider class, read from its NAME constant. */
    private Optional<String> providerOf(String module) {
        Path sources = root.resolve(module).resolve("src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (read(file).contains("implements TranscriptionProvider")) {
                    Class<?> provider = load(sources.relativize(file).toString().replace(".java", "").replace('/', '.'));
                    Field name = provider.getDeclaredField("NAME");
                    name.setAccessible(true);
                    return Optional.of((String) name.get(null));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return Optional.empty();
    }

    /** Walks a mapping interface as SmallRye does: method names in kebab case, groups nested, maps as {@code *}. */
    static void collect(Class<?> mapping, String prefix, Map<String, String> keys) {
        for (Method m : mapping.getMethods()) {
            if (m.isDefault() || Modifier.isStatic(m.getModifiers()) || m.getParameterCount() > 0) {
                continue;
            }
            String name = m.isAnnotationPresent(WithName.class) ? m.getAnnotation(WithName.class).value()
                    : kebab(m.getName());
            String key = m.isAnnotationPresent(WithParentName.class) ? prefix : prefix + "." + name;
            Type type = unwrap(m.getGenericReturnType());
            if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
                key = key + ".*";
                type = unwrap(p.getActualTypeArguments()[1]);
            }
            if (type instanceof Class<?> c && isGroup(c)) {
                collect(c, key, keys);
            } else {
                WithDefault def = m.getAnnotation(WithDefault.class);
                keys.put(key, def == null ? null : def.value());
            }
        }
    }

    private static Type unwrap(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == Optional.class) {
            return p.getActualTypeArguments()[0];
        }
        return type;
    }

    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && !type.getName().startsWith("java.");
    }

    static String kebab(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Every property the Quarkus extensions on the class path document (their config model). */
    private static Set<String> quarkusKeys() {
        Set<String> keys = new TreeSet<>();
        ObjectMapper json = new ObjectMapper();
        try {
            Enumeration<URL> models = CodeFacts.class.getClassLoader()
                    .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
            while (models.hasMoreElements()) {
                try (InputStream in = models.nextElement().openStream()) {
                    collectPaths(json.readTree(in), keys);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    private static void collectPaths(JsonNode node, Set<String> keys) {
        if (node.isObject()) {
            JsonNode path = node.path("path");
            if (path.isObject() && path.path("property").isTextual()) {
                keys.add(path.path("property").asText().replaceAll("\"[^\"]*\"", "*"));
            }
            node.forEach(child -> collectPaths(child, keys));
        } else if (node.isArray()) {
            node.forEach(child -> collectPaths(child, keys));
        }
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className, false, CodeFacts.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(className + " is not on the test class path", e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
