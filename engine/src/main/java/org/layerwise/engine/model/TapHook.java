package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * General modification of an activation during a forward pass. Returns the activation that flows on
 * (the same array to leave it unchanged). Arrays it creates should be made from {@code activation}
 * (e.g. {@code Scalars.times(activation, 2)}) so they live in the forward pass's scope and are freed with
 * it. Under a gradient collector, multiply or add constants through {@link Scalars}, never
 * {@code activation.mul(2)}: DJL's number overloads leave backward reading freed memory.
 */
@FunctionalInterface
public interface TapHook {
    /**
     * @param point      the tap point, e.g. "blocks.3.resid_post"
     * @param activation [batch, tokens, width] at that point (logits: [batch, tokens, vocab] in float32)
     */
    NDArray apply(String point, NDArray activation);
}
