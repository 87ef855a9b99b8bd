package dev.speechfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Kustomization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every file under deploy/k8s parses into the typed Kubernetes model, strictly, and belongs to a build. */
class ManifestsModelTest {

    private final CodeFacts code = CodeFacts.ofRepository();
    private final Path k8s = Overlays.k8s(code);

    @Test
    void everyManifestParsesIntoTheTypedModelWithNoUnknownField() throws IOException {
        List<String> problems = new ArrayList<>();
        int parsed = 0;
        for (Path file : yamlFiles()) {
            for (Map<String, Object> doc : Kustomize.documents(file)) {
                if (file.getFileName().toString().equals("kustomization.yaml")) {
                    Kustomization k = TypedManifests.SERIALIZATION.unmarshal(Kustomize.read(file), Kustomization.class);
                    assertThat(k.getAdditionalProperties()).as("unknown fields of %s", file).isEmpty();
                    continue;
                }
                HasMetadata resource = TypedManifests.typed(doc);
                problems.addAll(TypedManifests.strictnessProblems(resource).stream().map(p -> file + ": " + p).toList());
                parsed++;
            }
        }
        assertThat(problems).isEmpty();
        assertThat(parsed).as("documents parsed").isGreaterThan(30);
    }

    @Test
    void theModelCatchesAFieldItDoesNotKnow() {
        Map<String, Object> deployment = Kustomize.documents(k8s.resolve("base/router.yaml")).getFirst();
        String yaml = TypedManifests.SERIALIZATION.asYaml(deployment).replace("readinessProbe:", "readinesProbe:");

        HasMetadata typo = TypedManifests.SERIALIZATION.unmarshal(yaml);

        assertThat(TypedManifests.strictnessProblems(typo)).singleElement().asString().contains("readinesProbe");
    }

    @Test
    void everyRenderedResourceIsTypedExceptKedasCustomResources() {
        for (String overlay : List.of("dev", "prod")) {
            for (HasMetadata resource : Overlays.render(k8s.resolve("overlays").resolve(overlay))) {
                assertThat(resource instanceof GenericKubernetesResource)
                        .as("%s %s untyped", resource.getKind(), resource.getMetadata().getName())
                        .isEqualTo(TypedManifests.CUSTOM_KINDS.contains(TypedManifests.typeOf(resource)));
                assertThat(TypedManifests.strictnessProblems(resource)).isEmpty();
            }
        }
    }

    @Test
    void everyManifestFileBelongsToAKustomization() throws IOException {
        Set<Path> referenced = new TreeSet<>();
        for (Path kustomization : yamlFiles().stream().filter(f -> f.endsWith("kustomization.yaml")).toList()) {
            Kustomization k = TypedManifests.SERIALIZATION.unmarshal(Kustomize.read(kustomization), Kustomization.class);
            Path dir = kustomization.getParent();
            referenced.add(kustomization);
            if (k.getResources() != null) {
                k.getResources().forEach(r -> referenced.add(dir.resolve(r).normalize()));
            }
            if (k.getPatches() != null) {
                k.getPatches().forEach(p -> referenced.add(dir.resolve(p.getPath()).normalize()));
            }
        }
        List<Path> orphans = yamlFiles().stream().filter(f -> !referenced.contains(f)).toList();
        assertThat(orphans).as("manifest files no kustomization uses").isEmpty();
    }

    private List<Path> yamlFiles() throws IOException {
        try (Stream<Path> files = Files.walk(k8s)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).map(Path::normalize).sorted().toList();
        }
    }
}
