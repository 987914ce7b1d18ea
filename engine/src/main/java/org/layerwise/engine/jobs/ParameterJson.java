package org.layerwise.engine.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job's hyper-parameters as the JSON object stored with its run. Keys are sorted so two runs' parameters
 * diff cleanly; paths are written as plain paths; a value Jackson cannot write (a tensor, a model) is kept as
 * its {@code toString()} rather than failing the job.
 */
final class ParameterJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

    private ParameterJson() {}

    static String of(Map<String, Object> parameters) {
        ObjectNode root = JSON.createObjectNode();
        for (Map.Entry<String, Object> e : new TreeMap<>(parameters).entrySet()) {
            root.set(e.getKey(), node(e.getValue()));
        }
        return root.toString();
    }

    private static JsonNode node(Object value) {
        if (value instanceof Path p) return JSON.getNodeFactory().textNode(p.toString());
        if (value instanceof Enum<?> e) return JSON.getNodeFactory().textNode(e.name());
        try {
            return JSON.valueToTree(value);
        } catch (IllegalArgumentException e) {
            return JSON.getNodeFactory().textNode(String.valueOf(value));
        }
    }
}
