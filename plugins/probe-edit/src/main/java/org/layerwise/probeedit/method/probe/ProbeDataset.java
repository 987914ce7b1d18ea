package org.layerwise.probeedit.method.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Facts to probe from a file: a CounterFact JSON array ({@code requested_rewrite{prompt, subject,
 * target_true{str}, target_new{str}}}) or JSON lines {@code {prompt, subject, target_true, target_new}} (the
 * answers as strings or as {@code {str}} objects). Errors name the file, the record and the field.
 */
public final class ProbeDataset {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProbeDataset() {}

    public static List<ProbeRequest> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("No data set file " + file);
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) throw new IllegalArgumentException(file + " is empty");
        List<ProbeRequest> out = new ArrayList<>();
        if (text.startsWith("[")) {
            JsonNode all;
            try {
                all = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
            }
            for (int i = 0; i < all.size(); i++) out.add(record(file, "record " + i, all.get(i)));
        } else {
            String[] lines = text.split("\\R");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) continue;
                JsonNode node;
                try {
                    node = JSON.readTree(lines[i]);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + " is not valid JSON: " + e.getOriginalMessage(), e);
                }
                out.add(record(file, "line " + (i + 1), node));
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException(file + " holds no records");
        return out;
    }

    private static ProbeRequest record(Path file, String where, JsonNode node) {
        if (node == null || !node.isObject()) throw new IllegalArgumentException(file + " " + where + " is not a JSON object");
        JsonNode r = node.has("requested_rewrite") ? node.get("requested_rewrite") : node;
        String id = node.has("case_id") ? where + " (case_id " + node.get("case_id").asText() + ")" : where;
        String prompt = text(file, id, r, "prompt");
        String subject = text(file, id, r, "subject");
        String original = text(file, id, r, "target_true");
        String target = text(file, id, r, "target_new");
        try {
            ProbeRequest req = new ProbeRequest(prompt, subject, original, target);
            req.subjectSpan();
            return req;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " " + id + ": " + e.getMessage(), e);
        }
    }

    private static String text(Path file, String where, JsonNode r, String field) {
        JsonNode v = r.get(field);
        if (v != null && v.isObject()) v = v.get("str");
        if (v == null || !v.isTextual() || v.asText().isBlank())
            throw new IllegalArgumentException(file + " " + where + ": field '" + field + "' is missing or not a non-empty string"
                    + (field.startsWith("target") ? " (a string or {\"str\": ...})" : ""));
        return v.asText();
    }
}
