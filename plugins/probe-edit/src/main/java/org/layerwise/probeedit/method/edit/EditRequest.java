package org.layerwise.probeedit.method.edit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One requested rewrite: {@code prompt} holds "{}" where the subject goes; the model should answer
 * {@code targetNew} instead of {@code targetTrue}. Answers are stored without the leading space the model
 * sees before them.
 */
public record EditRequest(String caseId, String prompt, String subject, String targetNew, String targetTrue) {
    public EditRequest {
        if (prompt == null || !prompt.contains("{}"))
            throw new IllegalArgumentException("edit request " + caseId + ": prompt \"" + prompt + "\" must contain {} where the subject goes");
        if (subject == null || subject.isBlank()) throw new IllegalArgumentException("edit request " + caseId + ": subject is empty");
        if (targetNew == null || targetNew.isBlank()) throw new IllegalArgumentException("edit request " + caseId + ": target_new is empty");
        targetNew = targetNew.strip();
        targetTrue = targetTrue == null ? "" : targetTrue.strip();
    }

    /** The prompt with the subject filled in. */
    public String text() { return prompt.replace("{}", subject); }

    /** The CounterFact {@code requested_rewrite} object of record {@code index}; errors name the record and field. */
    public static EditRequest fromCounterFact(JsonNode record, int index) {
        String where = "record " + index + (record.has("case_id") ? " (case_id " + record.get("case_id").asText() + ")" : "");
        JsonNode rw = record.get("requested_rewrite");
        if (rw == null || !rw.isObject()) throw new IllegalArgumentException(where + ": field requested_rewrite is missing or not an object");
        String prompt = text(rw, "prompt", where + ": field requested_rewrite.prompt");
        String subject = text(rw, "subject", where + ": field requested_rewrite.subject");
        String tNew = nested(rw, "target_new", where);
        String tTrue = nested(rw, "target_true", where);
        if (!prompt.contains("{}")) throw new IllegalArgumentException(where + ": field requested_rewrite.prompt \"" + prompt + "\" has no {} for the subject");
        String id = record.has("case_id") ? record.get("case_id").asText() : String.valueOf(index);
        return new EditRequest(id, prompt, subject, tNew, tTrue);
    }

    private static String nested(JsonNode rw, String field, String where) {
        JsonNode n = rw.get(field);
        if (n == null) throw new IllegalArgumentException(where + ": field requested_rewrite." + field + " is missing");
        if (n.isTextual()) return n.asText();
        return text(n, "str", where + ": field requested_rewrite." + field + ".str");
    }

    static String text(JsonNode n, String field, String what) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) throw new IllegalArgumentException(what + " is missing");
        if (!v.isTextual()) throw new IllegalArgumentException(what + " must be a string, not " + v.getNodeType().name().toLowerCase());
        if (v.asText().isBlank()) throw new IllegalArgumentException(what + " is empty");
        return v.asText();
    }
}
