package org.layerwise.rationale.method;

import java.util.Map;

/** Every mode's answer to one item, with the item's gold label and its reference rationale. */
public record ItemResult(String id, String task, String label, String prompt, String referenceRationale,
                         Map<EvalMode, Answer> answers) {
    public Answer answer(EvalMode m) { return answers.get(m); }
}
