package org.layerwise.builder.method;

import java.util.List;

/** A valid config that this version cannot build or train; the message says which parts and why. */
public final class NotTrainableException extends IllegalStateException {
    private final List<String> reasons;

    public NotTrainableException(List<String> reasons) {
        super("not trainable as configured: " + String.join("; ", reasons)
                + ". The config is valid and its parameter counts stand; change the parts named"
                + " (docs/guide/builder.md lists what trains with what)");
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() { return reasons; }
}
