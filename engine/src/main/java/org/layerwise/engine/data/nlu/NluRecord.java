package org.layerwise.engine.data.nlu;

import java.util.ArrayList;
import java.util.List;

/**
 * One NLU item in the NLURC record format ({@code id, text_a, text_b, text_c, label}) with its rationale (kept in
 * a separate {@code {id, rationale}} file on disk). {@code text_c} holds the answer options separated by " | ",
 * so every item can be scored by label log-likelihood. {@code rationale} may be empty (no rationale known).
 */
public record NluRecord(String id, String task, String textA, String textB, String textC, String label, String rationale) {
    public NluRecord {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("an NLU record needs an id");
        if (label == null || label.isBlank()) throw new IllegalArgumentException("NLU record " + id + " has no label");
        textA = textA == null ? "" : textA;
        textB = textB == null ? "" : textB;
        textC = textC == null ? "" : textC;
        rationale = rationale == null ? "" : rationale;
        task = task == null ? "" : task;
    }

    /** The answer options in {@code text_c} (" | "-separated); empty when the record lists none. */
    public List<String> options() {
        List<String> out = new ArrayList<>();
        for (String o : textC.split("\\|")) if (!o.isBlank()) out.add(o.strip());
        return out;
    }

    public NluRecord withRationale(String r) { return new NluRecord(id, task, textA, textB, textC, label, r); }

    public NluRecord withTask(String t) { return new NluRecord(id, t, textA, textB, textC, label, rationale); }
}
