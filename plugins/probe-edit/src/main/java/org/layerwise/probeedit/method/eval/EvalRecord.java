package org.layerwise.probeedit.method.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.layerwise.probeedit.method.edit.EditRequest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One evaluation record, CounterFact or zsRE (method note §3), reduced to what the metrics need. zsRE's
 * {@code src} holds the subject; its prompt is {@code src} with the subject replaced by "{}".
 */
public record EvalRecord(Format format, EditRequest request, List<String> paraphrases, List<String> neighbourhood,
                         List<String> neighbourhoodAnswers, List<String> generationPrompts) {
    public enum Format { COUNTERFACT, ZSRE }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a JSON array of CounterFact or zsRE records; a malformed record names its index and field. */
    public static List<EvalRecord> read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + " is not JSON (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isArray()) throw new IOException(file + " must be a JSON array of CounterFact or zsRE records");
        List<EvalRecord> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            try {
                out.add(parse(root.get(i), i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    public static EvalRecord parse(JsonNode n, int index) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException("record " + index + " is not a JSON object");
        if (n.has("requested_rewrite")) {
            EditRequest r = EditRequest.fromCounterFact(n, index);
            String where = "record " + index + " (case_id " + r.caseId() + ")";
            List<String> neigh = strings(n, "neighborhood_prompts", where);
            // an extension of this project's fact-world sets: each neighbour's own true answer
            List<String> answers = n.has("neighborhood_answers") ? strings(n, "neighborhood_answers", where)
                    : neigh.stream().map(x -> r.targetTrue()).toList();
            if (answers.size() != neigh.size())
                throw new IllegalArgumentException(where + ": field neighborhood_answers has " + answers.size() + " entries for "
                        + neigh.size() + " neighborhood_prompts");
            return new EvalRecord(Format.COUNTERFACT, r, strings(n, "paraphrase_prompts", where), neigh, answers,
                    n.has("generation_prompts") ? strings(n, "generation_prompts", where) : List.of());
        }
        if (n.has("src")) {
            String where = "record " + index + (n.has("case_id") ? " (case_id " + n.get("case_id").asText() + ")" : "");
            String subject = EditRequestText.text(n, "subject", where);
            String src = EditRequestText.text(n, "src", where);
            if (!src.contains(subject)) throw new IllegalArgumentException(where + ": field src does not contain the subject \"" + subject + "\"");
            String alt = EditRequestText.text(n, "alt", where);
            List<String> answers = strings(n, "answers", where);
            String loc = EditRequestText.text(n, "loc", where);
            String locAns = EditRequestText.text(n, "loc_ans", where);
            String id = n.has("case_id") ? n.get("case_id").asText() : String.valueOf(index);
            EditRequest r = new EditRequest(id, src.replace(subject, "{}"), subject, alt, answers.isEmpty() ? "" : answers.get(0));
            return new EvalRecord(Format.ZSRE, r, List.of(EditRequestText.text(n, "rephrase", where)), List.of(loc), List.of(locAns), List.of());
        }
        throw new IllegalArgumentException("record " + index + " is neither CounterFact (field requested_rewrite is missing) nor zsRE (field src is missing)");
    }

    private static List<String> strings(JsonNode n, String field, String where) {
        JsonNode a = n.get(field);
        if (a == null) throw new IllegalArgumentException(where + ": field " + field + " is missing");
        if (!a.isArray()) throw new IllegalArgumentException(where + ": field " + field + " must be an array of strings");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).isTextual()) throw new IllegalArgumentException(where + ": field " + field + "[" + i + "] must be a string");
            out.add(a.get(i).asText());
        }
        return out;
    }

    /** Field access with messages that name the record and field. */
    private static final class EditRequestText {
        static String text(JsonNode n, String field, String where) {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) throw new IllegalArgumentException(where + ": field " + field + " is missing");
            if (!v.isTextual()) throw new IllegalArgumentException(where + ": field " + field + " must be a string");
            return v.asText();
        }
    }
}
