package dev.speechfleet.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of Kubernetes' strategic merge patch that the overlays use: maps merge key by key, a
 * {@code null} value deletes its key, lists whose items all carry a {@code name} (containers, env,
 * volumes, volume mounts, ports) merge item by item on that name, every other list is replaced. A
 * {@code $patch} directive is refused rather than half-understood, so an overlay cannot silently
 * mean something else to kustomize than to these tests.
 */
final class StrategicMerge {

    private StrategicMerge() {
    }

    /** A copy of {@code target} with {@code patch} applied. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> apply(Map<String, Object> target, Map<String, Object> patch) {
        Map<String, Object> merged = new LinkedHashMap<>(target);
        for (Map.Entry<String, Object> change : patch.entrySet()) {
            String key = change.getKey();
            if (key.startsWith("$")) {
                throw new IllegalArgumentException("unsupported strategic merge directive " + key);
            }
            Object value = change.getValue();
            Object current = merged.get(key);
            if (value == null) {
                merged.remove(key);
            } else if (value instanceof Map<?, ?> map && current instanceof Map<?, ?> currentMap) {
                merged.put(key, apply((Map<String, Object>) currentMap, (Map<String, Object>) map));
            } else if (value instanceof List<?> list && current instanceof List<?> currentList && namedItems(list)
                    && namedItems(currentList)) {
                merged.put(key, mergeByName((List<Object>) currentList, (List<Object>) list));
            } else {
                merged.put(key, value);
            }
        }
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> mergeByName(List<Object> target, List<Object> patch) {
        List<Object> merged = new ArrayList<>(target);
        for (Object item : patch) {
            Map<String, Object> patchItem = (Map<String, Object>) item;
            int at = indexOf(merged, patchItem.get("name"));
            if (at < 0) {
                merged.add(patchItem);
            } else {
                merged.set(at, apply((Map<String, Object>) merged.get(at), patchItem));
            }
        }
        return merged;
    }

    private static int indexOf(List<Object> items, Object name) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof Map<?, ?> map && name.equals(map.get("name"))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean namedItems(List<?> list) {
        return !list.isEmpty() && list.stream().allMatch(i -> i instanceof Map<?, ?> m && m.get("name") != null);
    }
}
