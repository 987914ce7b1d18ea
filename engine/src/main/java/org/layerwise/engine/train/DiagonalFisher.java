package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.jobs.JobContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The diagonal empirical Fisher F_i = mean over samples of (∂ log p(y|x) / ∂θ_i)², from per-sample gradients
 * (one backward pass per sample, as EWC and C&amp;F compute it), and C&amp;F's consolidation F ← decay·F_old + F_t.
 */
public final class DiagonalFisher {
    private DiagonalFisher() {}

    /**
     * @param perSampleLoss one loss per sample: −log p(y|x) of that sample alone (the sign does not matter, it is squared)
     * @return F per parameter name, in {@code scope}
     */
    public static Map<String, NDArray> estimate(Map<String, NDArray> parameters, List<ParameterLoss> perSampleLoss,
                                                NDManager scope, JobContext ctx) {
        if (perSampleLoss.isEmpty()) throw new IllegalArgumentException("the Fisher estimate needs at least one sample");
        Map<String, NDArray> sum = new LinkedHashMap<>();
        try (GradMode off = GradMode.off()) {
            for (Map.Entry<String, NDArray> e : parameters.entrySet())
                sum.put(e.getKey(), scope.zeros(e.getValue().getShape(), e.getValue().getDataType(), e.getValue().getDevice()));
        }
        for (ParameterLoss loss : perSampleLoss) {
            if (ctx != null) ctx.checkCancelled();
            try (NDManager step = scope.newSubManager()) {
                Map<String, NDArray> g = ParameterSpace.gradient(parameters, loss, step);
                try (GradMode off = GradMode.off()) {
                    for (Map.Entry<String, NDArray> e : g.entrySet()) sum.get(e.getKey()).addi(e.getValue().square());
                }
            }
        }
        try (GradMode off = GradMode.off()) {
            for (NDArray s : sum.values()) s.divi(perSampleLoss.size());
        }
        return sum;
    }

    /** decay·old + fresh as new arrays in {@code scope} (old may be null: the first task). */
    public static Map<String, NDArray> consolidate(Map<String, NDArray> old, Map<String, NDArray> fresh, double decay, NDManager scope) {
        if (old == null) return ParameterSpace.combine(fresh, 1, fresh, 0, scope);
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (GradMode off = GradMode.off()) {
            for (Map.Entry<String, NDArray> e : fresh.entrySet()) {
                NDArray o = old.get(e.getKey());
                try (NDManager tmp = scope.newSubManager()) {
                    NDArray f = e.getValue();
                    ParameterSpace.hold(tmp, f);
                    if (o != null) ParameterSpace.hold(tmp, o);
                    NDArray r = o == null ? f.duplicate() : f.add(o.mul(decay));
                    r.attach(scope);
                    out.put(e.getKey(), r);
                }
            }
        }
        return out;
    }
}
