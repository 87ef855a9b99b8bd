package dev.speechfleet.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates custom resources against the {@code openAPIV3Schema} of their CustomResourceDefinition,
 * as the API server does for a structural schema: types, required fields, enums, int32 ranges, and
 * no field the schema does not declare (the API server would silently prune it: a misspelt
 * {@code lagcount} would vanish). {@code metadata} is the API server's own business and is skipped.
 */
final class CrdSchema {

    private final CustomResourceDefinition crd;

    private CrdSchema(CustomResourceDefinition crd) {
        this.crd = crd;
    }

    /** Loads a CRD from the test class path. */
    static CrdSchema load(String resource) {
        try (InputStream in = CrdSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no " + resource + " on the class path");
            }
            return new CrdSchema(TypedManifests.SERIALIZATION.unmarshal(in, CustomResourceDefinition.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code group/version/Kind} this CRD defines, for its served version. */
    boolean defines(GenericKubernetesResource resource) {
        String[] apiVersion = resource.getApiVersion().split("/");
        return apiVersion.length == 2 && apiVersion[0].equals(crd.getSpec().getGroup())
                && crd.getSpec().getNames().getKind().equals(resource.getKind())
                && crd.getSpec().getVersions().stream().anyMatch(v -> v.getName().equals(apiVersion[1]));
    }

    /** Every way {@code resource} breaks the schema; empty when it is valid. */
    List<String> validate(GenericKubernetesResource resource) {
        String version = resource.getApiVersion().substring(resource.getApiVersion().indexOf('/') + 1);
        CustomResourceDefinitionVersion served = crd.getSpec().getVersions().stream()
                .filter(v -> v.getName().equals(version)).findFirst().orElseThrow();
        Map<String, Object> document = new LinkedHashMap<>(resource.getAdditionalProperties());
        document.put("apiVersion", resource.getApiVersion());
        document.put("kind", resource.getKind());
        List<String> problems = new ArrayList<>();
        String where = resource.getKind() + " " + resource.getMetadata().getName();
        JSONSchemaProps root = served.getSchema().getOpenAPIV3Schema();
        for (Map.Entry<String, Object> field : document.entrySet()) {
            JSONSchemaProps schema = root.getProperties().get(field.getKey());
            if (schema == null) {
                problems.add(where + ": ." + field.getKey() + " is not in the schema");
            } else if (!field.getKey().equals("metadata")) {
                check(field.getValue(), schema, where + ": ." + field.getKey(), problems);
            }
        }
        for (String required : list(root.getRequired())) {
            if (!document.containsKey(required)) {
                problems.add(where + ": ." + required + " is required");
            }
        }
        return problems;
    }

    private static void check(Object value, JSONSchemaProps schema, String path, List<String> problems) {
        if (value == null) {
            if (!Boolean.TRUE.equals(schema.getNullable())) {
                problems.add(path + " must not be null");
            }
            return;
        }
        if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
            if (!(value instanceof String || isInteger(value))) {
                problems.add(path + " must be an integer or a string, not " + value);
            }
            return;
        }
        String type = schema.getType();
        if (type == null) {
            return;
        }
        switch (type) {
            case "object" -> checkObject(value, schema, path, problems);
            case "array" -> checkArray(value, schema, path, problems);
            case "string" -> expect(value instanceof String, path, "a string", value, problems);
            case "boolean" -> expect(value instanceof Boolean, path, "a boolean", value, problems);
            case "integer" -> checkInteger(value, schema, path, problems);
            case "number" -> expect(value instanceof Number, path, "a number", value, problems);
            default -> problems.add(path + ": schema type " + type + " is not understood by this validator");
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()
                && schema.getEnum().stream().map(JsonNode::asText).noneMatch(e -> e.equals(String.valueOf(value)))) {
            problems.add(path + " must be one of " + schema.getEnum() + ", not " + value);
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkObject(Object value, JSONSchemaProps schema, String path, List<String> problems) {
        if (!(value instanceof Map<?, ?> raw)) {
            problems.add(path + " must be an object, not " + value);
            return;
        }
        Map<String, Object> map = (Map<String, Object>) raw;
        boolean preserveUnknown = Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields());
        JSONSchemaProps additional = schema.getAdditionalProperties() == null ? null
                : schema.getAdditionalProperties().getSchema();
        Map<String, JSONSchemaProps> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
        for (Map.Entry<String, Object> field : map.entrySet()) {
            JSONSchemaProps fieldSchema = properties.get(field.getKey());
            if (fieldSchema != null) {
                check(field.getValue(), fieldSchema, path + "." + field.getKey(), problems);
            } else if (additional != null) {
                check(field.getValue(), additional, path + "." + field.getKey(), problems);
            } else if (!preserveUnknown) {
                problems.add(path + "." + field.getKey() + " is not in the schema");
            }
        }
        for (String required : list(schema.getRequired())) {
            if (!map.containsKey(required)) {
                problems.add(path + "." + required + " is required");
            }
        }
    }

    private static void checkArray(Object value, JSONSchemaProps schema, String path, List<String> problems) {
        if (!(value instanceof List<?> items)) {
            problems.add(path + " must be an array, not " + value);
            return;
        }
        JSONSchemaProps itemSchema = schema.getItems() == null ? null : schema.getItems().getSchema();
        for (int i = 0; i < items.size() && itemSchema != null; i++) {
            check(items.get(i), itemSchema, path + "[" + i + "]", problems);
        }
    }

    private static void checkInteger(Object value, JSONSchemaProps schema, String path, List<String> problems) {
        if (!isInteger(value)) {
            problems.add(path + " must be an integer, not " + value);
            return;
        }
        long number = ((Number) value).longValue();
        if ("int32".equals(schema.getFormat()) && (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE)) {
            problems.add(path + " is out of the int32 range: " + number);
        }
        if (schema.getMinimum() != null && number < schema.getMinimum()) {
            problems.add(path + " is below its minimum " + schema.getMinimum() + ": " + number);
        }
    }

    private static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger;
    }

    private static void expect(boolean ok, String path, String what, Object value, List<String> problems) {
        if (!ok) {
            problems.add(path + " must be " + what + ", not " + value);
        }
    }

    private static List<String> list(List<String> values) {
        return values == null ? List.of() : values;
    }
}
