package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import org.layerwise.engine.model.GradMode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * C&amp;F's hard constraint: every anchored weight stays in the box [θ*_i − ρ|θ*_i|, θ*_i + ρ|θ*_i|] (the same
 * |w|-relative radius as ASAM's neighbourhood, so the region made flat is the region the model may move in).
 * Names not in the anchor (a new head) are free.
 */
public final class BoxClamp {
    private final Map<String, NDArray> lower = new LinkedHashMap<>();
    private final Map<String, NDArray> upper = new LinkedHashMap<>();
    private final double rho;

    /** The bounds are computed now, into {@code scope}. */
    public BoxClamp(Map<String, NDArray> anchor, double rho, NDManager scope) {
        if (!(rho >= 0)) throw new IllegalArgumentException("box radius rho must be ≥ 0, not " + rho);
        this.rho = rho;
        try (GradMode off = GradMode.off()) {
            for (Map.Entry<String, NDArray> e : anchor.entrySet()) {
                try (NDManager tmp = scope.newSubManager()) {
                    NDArray a = e.getValue();
                    ParameterSpace.hold(tmp, a);
                    NDArray r = a.abs().muli(rho);
                    NDArray lo = a.sub(r), hi = a.add(r);
                    lo.attach(scope);
                    hi.attach(scope);
                    lower.put(e.getKey(), lo);
                    upper.put(e.getKey(), hi);
                }
            }
        }
    }

    public double rho() { return rho; }

    public Map<String, NDArray> lower() { return lower; }

    public Map<String, NDArray> upper() { return upper; }

    /** Projects the parameters into the box, in place. */
    public void apply(Map<String, NDArray> parameters) {
        try (GradMode off = GradMode.off(); NDManager scope = NDManager.newBaseManager()) {
            for (Map.Entry<String, NDArray> e : lower.entrySet()) {
                NDArray p = parameters.get(e.getKey());
                if (p == null) continue;
                NDArray lo = e.getValue(), hi = upper.get(e.getKey());
                ParameterSpace.hold(scope, p, lo, hi);
                p.set(new NDIndex("..."), p.maximum(lo).minimum(hi));
            }
        }
    }

    /** Fraction of the boxed weights that sit on a bound (within a relative 1e-6 of it), per parameter name. */
    public Map<String, Double> shareAtBound(Map<String, NDArray> parameters) {
        Map<String, Double> out = new LinkedHashMap<>();
        try (GradMode off = GradMode.off(); NDManager scope = NDManager.newBaseManager()) {
            for (Map.Entry<String, NDArray> e : lower.entrySet()) {
                NDArray p = parameters.get(e.getKey());
                if (p == null || p.size() == 0) continue;
                NDArray lo = e.getValue(), hi = upper.get(e.getKey());
                ParameterSpace.hold(scope, p, lo, hi);
                NDArray tol = hi.sub(lo).mul(1e-6f).add(1e-12f);
                NDArray onBound = p.sub(lo).abs().lte(tol).logicalOr(hi.sub(p).abs().lte(tol))
                        .logicalAnd(hi.sub(lo).gt(0));    // a zero-width box (θ* = 0) is not "at the bound"
                out.put(e.getKey(), (double) onBound.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mean().getFloat());
            }
        }
        return out;
    }
}
