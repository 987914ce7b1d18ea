package org.layerwise.builder.method;

import java.util.List;

/** A valid config that this version cannot build or train; the message says which parts and why. */
public final class NotTrainableException extends IllegalStateException {
    private final List<String> reasons;

    public NotTrainableException(List<String> reasons) {
        super("not yet trainable in this version: " + String.join("; ", reasons)
                + ". The config is valid and its parameter counts stand; a decoder-only (causal, pre-LN) or"
                + " bidirectional transformer with word/pos or rotary positions trains today, with target lm or mlm, and so does a pre-LN"
                + " encoder-decoder (T5) with target lm");
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() { return reasons; }
}
