package org.layerwise.probeedit.method.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** The uncentred second moment E[kkᵀ] of one layer's keys, float64 [d_ff, d_ff], in {@code m}. */
@FunctionalInterface
public interface Covariance {
    NDArray secondMoment(NDManager m, int layer);
}
