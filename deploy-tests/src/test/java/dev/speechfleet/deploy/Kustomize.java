package dev.speechfleet.deploy;

import io.fabric8.kubernetes.api.model.kustomize.v1beta1.GeneratorOptions;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Image;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Kustomization;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Patch;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.SecretArgs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Renders a kustomization the way {@code kustomize build} does, for the features the fleet's
 * overlays use: {@code resources} (files and directories), {@code namespace}, {@code images},
 * {@code patches} by file (strategic merge, targeted by kind and name), {@code secretGenerator} with
 * literals or env files and fixed names. Any other field of the typed {@link Kustomization} is
 * refused, so the tests never check something kustomize would render differently.
 */
final class Kustomize {

    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "namespace", "images",
            "patches", "secretGenerator", "generatorOptions");

    private Kustomize() {
    }

    /** The resources {@code dir}'s kustomization.yaml renders to, as plain YAML trees. */
    static List<Map<String, Object>> build(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        Kustomization k = TypedManifests.SERIALIZATION.unmarshal(read(file), Kustomization.class);
        refuseUnsupported(file);
        List<Map<String, Object>> resources = new ArrayList<>();
        for (String resource : list(k.getResources())) {
            Path path = dir.resolve(resource).normalize();
            resources.addAll(Files.isDirectory(path) ? build(path) : documents(path));
        }
        for (SecretArgs secret : list(k.getSecretGenerator())) {
            resources.add(secret(dir, secret, k.getGeneratorOptions()));
        }
        for (Patch patch : list(k.getPatches())) {
            if (patch.getPath() == null || patch.getTarget() != null || patch.getPatch() != null) {
                throw new IllegalArgumentException(file + ": only patches given by path are supported");
            }
            for (Map<String, Object> doc : documents(dir.resolve(patch.getPath()))) {
                resources = applyPatch(resources, doc, file);
            }
        }
        for (Image image : list(k.getImages())) {
            resources.forEach(r -> retag(r, image));
        }
        if (k.getNamespace() != null) {
            resources.forEach(r -> metadata(r).put("namespace", k.getNamespace()));
        }
        return resources;
    }

    /** Every YAML document of a file, in order; empty documents skipped. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(Path file) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(read(file))) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    private static void refuseUnsupported(Path file) {
        for (Map<String, Object> doc : documents(file)) {
            for (String key : doc.keySet()) {
                if (!SUPPORTED.contains(key)) {
                    throw new IllegalArgumentException(file + ": kustomization field '" + key
                            + "' is not supported by the tests' renderer (Kustomize.java)");
                }
            }
        }
    }

    private static List<Map<String, Object>> applyPatch(List<Map<String, Object>> resources, Map<String, Object> patch,
            Path file) {
        String kind = (String) patch.get("kind");
        String name = (String) metadata(patch).get("name");
        List<Map<String, Object>> patched = new ArrayList<>();
        boolean matched = false;
        for (Map<String, Object> resource : resources) {
            if (kind.equals(resource.get("kind")) && name.equals(metadata(resource).get("name"))) {
                patched.add(StrategicMerge.apply(resource, patch));
                matched = true;
            } else {
                patched.add(resource);
            }
        }
        if (!matched) {
            throw new IllegalArgumentException(file + ": patch for " + kind + "/" + name + " matches no resource");
        }
        return patched;
    }

    private static Map<String, Object> secret(Path dir, SecretArgs args, GeneratorOptions options) {
        if (options == null || !Boolean.TRUE.equals(options.getDisableNameSuffixHash())) {
            throw new IllegalArgumentException(dir + ": generated names need disableNameSuffixHash: true here");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        List<String> pairs = new ArrayList<>(list(args.getLiterals()));
        for (String env : list(args.getEnvs())) {
            read(dir.resolve(env)).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .forEach(pairs::add);
        }
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            data.put(pair.substring(0, eq), Base64.getEncoder().encodeToString(
                    pair.substring(eq + 1).getBytes(StandardCharsets.UTF_8)));
        }
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("apiVersion", "v1");
        secret.put("kind", "Secret");
        secret.put("metadata", new LinkedHashMap<>(Map.of("name", args.getName())));
        secret.put("type", args.getType() != null ? args.getType() : "Opaque");
        secret.put("data", data);
        return secret;
    }

    @SuppressWarnings("unchecked")
    private static void retag(Object node, Image image) {
        if (node instanceof Map<?, ?> map) {
            Object value = map.get("image");
            if (value instanceof String ref && map.containsKey("name") && imageName(ref).equals(image.getName())) {
                String name = image.getNewName() != null ? image.getNewName() : imageName(ref);
                String tag = image.getNewTag() != null ? image.getNewTag() : ref.substring(imageName(ref).length() + 1);
                ((Map<String, Object>) map).put("image", name + ":" + tag);
            }
            map.values().forEach(v -> retag(v, image));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> retag(v, image));
        }
    }

    private static String imageName(String ref) {
        int colon = ref.lastIndexOf(':');
        return colon > ref.lastIndexOf('/') ? ref.substring(0, colon) : ref;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> metadata(Map<String, Object> resource) {
        return (Map<String, Object>) resource.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
    }

    private static <T> List<T> list(List<T> values) {
        return values == null ? List.of() : values;
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
