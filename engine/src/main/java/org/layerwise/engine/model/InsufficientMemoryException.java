package org.layerwise.engine.model;

/** A model would not fit in the memory available on its device; nothing was loaded. */
public final class InsufficientMemoryException extends Exception {
    private final transient MemoryEstimate estimate;

    public InsufficientMemoryException(String what, MemoryEstimate estimate) {
        super(what + " needs " + MemoryEstimate.gib(estimate.neededBytes()) + " GiB, "
                + MemoryEstimate.gib(estimate.availableBytes()) + " GiB available on " + estimate.device()
                + ". Choose a smaller dtype (--dtype float16), another device, or free memory.");
        this.estimate = estimate;
    }

    public MemoryEstimate estimate() { return estimate; }
}
