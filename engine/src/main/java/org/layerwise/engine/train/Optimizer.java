package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;

import java.util.Map;

/**
 * Updates parameters in place from their gradients. State (moments, momentum buffers) lives in the
 * optimiser's own native memory until {@link #close()}; {@link #state()} and {@link #restore} carry it
 * through a checkpoint. Called with autograd off.
 */
public interface Optimizer extends AutoCloseable {
    /** One update of every parameter by its gradient (same names), with learning rate {@code rate}. */
    void update(Map<String, NDArray> parameters, Map<String, NDArray> gradients, double rate);

    /** Updates made so far. */
    long updates();

    /** The state to checkpoint, by name (e.g. "exp_avg/embed.weight"); live arrays, not copies. */
    Map<String, NDArray> state();

    /** Takes over copies of a checkpointed state (from {@link #state()}) and the update count. */
    void restore(Map<String, NDArray> state, long updates);

    /** A short name for logs and checkpoints: "adamw", "sgd". */
    String name();

    @Override
    void close();
}
