package dev.speechfleet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ScaledObjects and TriggerAuthentications of every overlay against KEDA's CRD schemas
 * (src/test/resources/keda: a subset of KEDA's own CRDs, with its source in the file header).
 */
class KedaSchemaTest {

    private static final List<CrdSchema> SCHEMAS = List.of(CrdSchema.load("/keda/keda.sh_scaledobjects.yaml"),
            CrdSchema.load("/keda/keda.sh_triggerauthentications.yaml"));

    private final CodeFacts code = CodeFacts.ofRepository();

    @Test
    void everyKedaResourceOfEveryOverlayMatchesItsCrd() {
        int validated = 0;
        List<String> problems = new ArrayList<>();
        for (String overlay : List.of("dev", "prod")) {
            for (GenericKubernetesResource resource : keda(overlay)) {
                problems.addAll(schemaFor(resource).validate(resource));
                validated++;
            }
        }
        assertThat(problems).isEmpty();
        assertThat(validated).as("KEDA resources validated in two overlays").isEqualTo(2 * 5);
    }

    @Test
    void aTriggerWithANumberWhereKedaWantsAStringAndNoTargetIsRefused() {
        GenericKubernetesResource whisper = keda("dev").stream()
                .filter(r -> r.getKind().equals("ScaledObject") && r.getMetadata().getName().equals("consumer-whisper"))
                .findFirst().orElseThrow();
        String yaml = TypedManifests.SERIALIZATION.asYaml(whisper).replace("lagCount: \"4\"", "lagCount: 4")
                .replace("scaleTargetRef:", "scaleTarget:");

        GenericKubernetesResource broken = TypedManifests.SERIALIZATION.unmarshal(yaml);

        assertThat(schemaFor(broken).validate(broken)).anySatisfy(p -> assertThat(p).contains("lagCount must be a string"))
                .anySatisfy(p -> assertThat(p).contains("scaleTarget is not in the schema"))
                .anySatisfy(p -> assertThat(p).contains("scaleTargetRef is required"));
    }

    private List<GenericKubernetesResource> keda(String overlay) {
        List<HasMetadata> rendered = Overlays.render(Overlays.k8s(code).resolve("overlays").resolve(overlay));
        return rendered.stream().filter(GenericKubernetesResource.class::isInstance)
                .map(GenericKubernetesResource.class::cast).toList();
    }

    private static CrdSchema schemaFor(GenericKubernetesResource resource) {
        return SCHEMAS.stream().filter(s -> s.defines(resource)).findFirst()
                .orElseThrow(() -> new AssertionError("no CRD for " + TypedManifests.typeOf(resource)));
    }
}
