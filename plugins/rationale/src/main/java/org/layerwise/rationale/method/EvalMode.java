package org.layerwise.rationale.method;

/** How a model answers an NLU item. */
public enum EvalMode {
    /** Direct prompt; the option with the highest summed log-likelihood (lm-eval-harness {@code acc}). */
    DIRECT_LL("direct-ll"),
    /** Direct prompt; highest log-likelihood per character of the option (lm-eval-harness {@code acc_norm}). */
    DIRECT_LL_NORM("direct-ll-norm"),
    /** Direct prompt; greedy generation compared with the label (exact match after normalising). */
    DIRECT_GEN("direct-gen"),
    /** CoT prompt; greedy generation of a rationale, the label extracted after the answer phrase. */
    COT("cot");

    private final String id;

    EvalMode(String id) { this.id = id; }

    public String id() { return id; }

    public boolean generates() { return this == DIRECT_GEN || this == COT; }

    public static EvalMode parse(String s) {
        for (EvalMode m : values()) if (m.id.equalsIgnoreCase(s) || m.name().equalsIgnoreCase(s)) return m;
        throw new IllegalArgumentException("unknown mode '" + s + "'; use direct-ll, direct-ll-norm, direct-gen or cot");
    }

    @Override public String toString() { return id; }
}
