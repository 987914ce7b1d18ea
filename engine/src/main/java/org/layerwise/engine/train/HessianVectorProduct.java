package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Map;

/**
 * H·v for the Hessian H of a {@link ParameterLoss} at the parameters' current values, by central differences
 * of gradients: H·v ≈ (∇L(θ + εv) − ∇L(θ − εv)) / 2ε, with ε = {@code relativeStep}·(1 + ‖θ‖)/‖v‖.
 * <p>
 * Why not double backward: DJL 0.36's {@code GradientCollector.backward} always passes
 * {@code create_graph = false}, and the lower-level {@code JniUtils.backward(…, createGraph)} accumulates
 * the graph-carrying gradient into the same {@code .grad} tensor the next backward would add to, so a second
 * differentiation of ⟨∇L, v⟩ is not reachable cleanly through DJL's API. Central differences cost two
 * gradients, are exact for quadratics up to float rounding, and have O(ε²) error otherwise (the C&amp;F note
 * allows this). θ is restored exactly from a snapshot afterwards, not by subtracting εv again.
 */
public final class HessianVectorProduct {
    private final Map<String, NDArray> parameters;
    private final ParameterLoss loss;
    private final double relativeStep;

    public HessianVectorProduct(Map<String, NDArray> parameters, ParameterLoss loss, double relativeStep) {
        if (!(relativeStep > 0)) throw new IllegalArgumentException("finite-difference step must be positive, not " + relativeStep);
        this.parameters = parameters;
        this.loss = loss;
        this.relativeStep = relativeStep;
    }

    /** ε = 1e-3 relative: a good balance of truncation and float32 rounding error for small networks. */
    public HessianVectorProduct(Map<String, NDArray> parameters, ParameterLoss loss) { this(parameters, loss, 1e-3); }

    /** H·v as new arrays in {@code scope}. */
    public Map<String, NDArray> apply(Map<String, NDArray> v, NDManager scope) {
        double vn = ParameterSpace.norm(v);
        if (vn == 0) return ParameterSpace.combine(v, 0, v, 0, scope);
        double eps = relativeStep * (1 + ParameterSpace.norm(parameters)) / vn;
        try (NDManager work = scope.newSubManager()) {
            Map<String, NDArray> origin = ParameterSpace.copy(parameters, work);
            try {
                ParameterSpace.addScaledInPlace(parameters, v, eps);
                Map<String, NDArray> plus = ParameterSpace.gradient(parameters, loss, work);
                ParameterSpace.assignInPlace(parameters, origin);
                ParameterSpace.addScaledInPlace(parameters, v, -eps);
                Map<String, NDArray> minus = ParameterSpace.gradient(parameters, loss, work);
                return ParameterSpace.combine(plus, 1 / (2 * eps), minus, -1 / (2 * eps), scope);
            } finally {
                ParameterSpace.assignInPlace(parameters, origin);
            }
        }
    }
}
