package org.layerwise.app.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** A run's parameters JSON as flat "name → value" rows (nested objects become dotted names). */
public final class RunParameters {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunParameters() {}

    public static Map<String, String> flatten(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        if (json == null || json.isBlank()) return out;
        try {
            flatten("", JSON.readTree(json), out);
        } catch (Exception e) {
            out.put("(unreadable parameters)", json);
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isValueNode()) {
            out.put(prefix.isEmpty() ? "value" : prefix, node.asText());
        } else {
            out.put(prefix.isEmpty() ? "value" : prefix, node.toString());
        }
    }
}
