package dev.speechfleet.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rendered manifests as fabric8's typed Kubernetes model. Parsing is strict: a field the model does
 * not know (a typo such as {@code readinesProbe}, a field in the wrong place) lands in a model
 * object's additional properties, and is reported, like {@code kubectl apply --validate=strict}.
 */
final class TypedManifests {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Custom resources the model has no class for; they are checked against their CRD schema instead. */
    static final Set<String> CUSTOM_KINDS = Set.of("keda.sh/v1alpha1/ScaledObject",
            "keda.sh/v1alpha1/TriggerAuthentication");

    private TypedManifests() {
    }

    /** One rendered resource in the typed model. */
    static HasMetadata typed(Map<String, Object> resource) {
        try {
            KubernetesResource parsed = SERIALIZATION.unmarshal(JSON.writeValueAsString(resource));
            return (HasMetadata) parsed;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String typeOf(HasMetadata resource) {
        return resource.getApiVersion() + "/" + resource.getKind();
    }

    /**
     * What is wrong with a typed resource: a built-in kind that the model did not type, or a field
     * the model does not know, with its path.
     */
    static List<String> strictnessProblems(HasMetadata resource) {
        List<String> problems = new ArrayList<>();
        String where = typeOf(resource) + " " + resource.getMetadata().getName();
        if (resource instanceof GenericKubernetesResource) {
            if (!CUSTOM_KINDS.contains(typeOf(resource))) {
                problems.add(where + ": kind unknown to the Kubernetes model");
            }
            return problems;
        }
        walk(resource, where, problems, new IdentityHashMap<>());
        return problems;
    }

    private static void walk(Object node, String path, List<String> problems, IdentityHashMap<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, problems, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = invoke(getter, node);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
                continue;
            }
            walk(value, path + "." + decapitalize(getter.getName().substring(3)), problems, seen);
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }

    private static String decapitalize(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
