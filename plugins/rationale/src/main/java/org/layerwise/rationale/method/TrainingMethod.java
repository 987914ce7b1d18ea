package org.layerwise.rationale.method;

import java.util.Locale;

/**
 * The rationale-augmented fine-tuning targets of NLURC (arXiv:2510.16686): what the model learns to write after
 * the prompt.
 */
public enum TrainingMethod {
    /** Direct prompt → label (PREDICT). */
    LABEL_ONLY("label-only"),
    /** CoT prompt → rationale, ending in the answer phrase and the label. */
    REASON("reason"),
    /** Direct prompt → label, then "because" and the rationale. */
    EXPLAIN("explain"),
    /** Half the items label-only, half reason (alternating by item). */
    MIX("mix"),
    /** Both views of every item; label and rationale losses each averaged over their own tokens, mixed w : 1−w. */
    ALIGN("align");

    private final String id;

    TrainingMethod(String id) { this.id = id; }

    public String id() { return id; }

    public static TrainingMethod parse(String s) {
        for (TrainingMethod m : values()) if (m.id.equalsIgnoreCase(s) || m.name().equalsIgnoreCase(s)) return m;
        throw new IllegalArgumentException("unknown training method '" + s + "'; use label-only, reason, explain, mix or align");
    }

    @Override public String toString() { return id.toLowerCase(Locale.ROOT); }
}
