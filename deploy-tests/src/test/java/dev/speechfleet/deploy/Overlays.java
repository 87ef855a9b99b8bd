package dev.speechfleet.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's deploy/k8s, rendered and typed, and what docs/operations.md tells operators to create. */
final class Overlays {

    private static final Pattern CREATE_SECRET = Pattern.compile("kubectl\\s+(?:-n\\s+\\S+\\s+)?create\\s+secret\\s+"
            + "(?:generic|tls)\\s+([a-z0-9-]+)");

    private Overlays() {
    }

    static Path k8s(CodeFacts code) {
        return code.root().resolve("deploy/k8s");
    }

    /** {@code kustomize build <dir>}, in the typed model. */
    static List<HasMetadata> render(Path dir) {
        return Kustomize.build(dir).stream().map(TypedManifests::typed).toList();
    }

    /** Secrets docs/operations.md has the operator create with {@code kubectl create secret}. */
    static Set<String> secretsCreatedByOperators(CodeFacts code) {
        Set<String> names = new TreeSet<>();
        Matcher m = CREATE_SECRET.matcher(CodeFacts.read(code.root().resolve("docs/operations.md")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
