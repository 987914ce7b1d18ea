package org.layerwise.engine.train;

/**
 * Training batches by index, a pure function of the index (and the source's seed): a run resumed at
 * step s sees the same batches as a run that never stopped, with no random-generator state to save.
 */
public interface BatchSource<B> {
    /** The {@code index}-th micro-batch of the run (0-based; endless, epochs follow each other). */
    B batch(long index);
}
