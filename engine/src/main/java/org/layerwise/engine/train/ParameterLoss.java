package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A scalar loss of a fixed set of named parameters (e.g. a classifier's mean loss on one batch), recorded
 * with autograd so {@link ParameterSpace#gradient} can differentiate it. The curvature and landscape tools
 * (Hessian-vector products, power iteration, Hutchinson, loss landscapes, box sharpness) all take one.
 */
@FunctionalInterface
public interface ParameterLoss {
    /** The loss as a float32 scalar attached to {@code scope}, computed from the parameters' current values. */
    NDArray loss(NDManager scope);
}
