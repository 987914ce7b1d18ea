package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.layerwise.engine.model.GradMode;

import java.util.Map;

/**
 * The soft constraint of EWC and C&amp;F: (λ/2)·Σ_i F_i (θ_i − θ*_i)², with importance F and anchor θ*
 * (per parameter name; names missing from the anchor, e.g. a new task's head, are free). Its gradient
 * λ·F⊙(θ − θ*) is added straight to a gradient map, so it needs no autograd.
 */
public final class QuadraticPenalty {
    private final Map<String, NDArray> importance;
    private final Map<String, NDArray> anchor;
    private final double lambda;

    public QuadraticPenalty(Map<String, NDArray> importance, Map<String, NDArray> anchor, double lambda) {
        if (lambda < 0) throw new IllegalArgumentException("penalty strength lambda must be ≥ 0, not " + lambda);
        this.importance = importance;
        this.anchor = anchor;
        this.lambda = lambda;
    }

    public double lambda() { return lambda; }

    /** The penalty's value at {@code parameters}. */
    public double value(Map<String, NDArray> parameters) {
        double s = 0;
        try (GradMode off = GradMode.off(); NDManager scope = NDManager.newBaseManager()) {
            for (Map.Entry<String, NDArray> e : anchor.entrySet()) {
                NDArray p = parameters.get(e.getKey()), f = importance.get(e.getKey());
                if (p == null || f == null) continue;
                ParameterSpace.hold(scope, p, f, e.getValue());
                s += f.mul(p.sub(e.getValue()).square()).sum().getFloat();
            }
        }
        return 0.5 * lambda * s;
    }

    /** gradient ← gradient + λ·F⊙(θ − θ*), in place. */
    public void addGradient(Map<String, NDArray> parameters, Map<String, NDArray> gradient) {
        try (GradMode off = GradMode.off(); NDManager scope = NDManager.newBaseManager()) {
            for (Map.Entry<String, NDArray> e : anchor.entrySet()) {
                NDArray p = parameters.get(e.getKey()), f = importance.get(e.getKey()), g = gradient.get(e.getKey());
                if (p == null || f == null || g == null) continue;
                ParameterSpace.hold(scope, p, f, g, e.getValue());
                g.addi(p.sub(e.getValue()).mul(f).muli(lambda));
            }
        }
    }
}
