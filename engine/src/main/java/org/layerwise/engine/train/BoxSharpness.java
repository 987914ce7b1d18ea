package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.GradMode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ε-sharpness (Keskar et al. 2017) in C&amp;F's box: the largest loss increase max L(θ) − L(θ*) over
 * θ ∈ [θ* − ρ|θ*|, θ* + ρ|θ*|], found by projected ascent: θ ← clamp(θ + η·ρ|θ*|⊙sign(∇L)). With ρ equal to
 * C&amp;F's clamp radius, this bounds how much a later task may raise this task's loss inside the box.
 */
public final class BoxSharpness {
    /** @param increase the worst increase found; trajectory: the increase after each ascent step */
    public record Result(double increase, double baseLoss, double[] trajectory) {}

    private BoxSharpness() {}

    /**
     * @param stepFraction η, the fraction of the box half-width moved per step (e.g. 0.25)
     */
    public static Result measure(Map<String, NDArray> parameters, ParameterLoss loss, double rho, int steps, double stepFraction,
                                 JobContext ctx) {
        try (NDManager scope = NDManager.newBaseManager()) {
            Map<String, NDArray> origin = ParameterSpace.copy(parameters, scope);
            BoxClamp box = new BoxClamp(origin, rho, scope);
            Map<String, NDArray> halfWidth = new LinkedHashMap<>();
            try (GradMode off = GradMode.off()) {
                for (Map.Entry<String, NDArray> e : origin.entrySet()) {
                    NDArray h = e.getValue().abs().muli(rho * stepFraction);
                    h.attach(scope);
                    halfWidth.put(e.getKey(), h);
                }
            }
            double base = ParameterSpace.value(loss, scope), best = 0;
            double[] trajectory = new double[steps];
            try {
                for (int s = 0; s < steps; s++) {
                    if (ctx != null) ctx.checkCancelled();
                    try (NDManager step = scope.newSubManager()) {
                        Map<String, NDArray> g = ParameterSpace.gradient(parameters, loss, step);
                        try (GradMode off = GradMode.off()) {
                            for (Map.Entry<String, NDArray> e : g.entrySet()) {
                                NDArray p = parameters.get(e.getKey());
                                ParameterSpace.hold(step, p);
                                p.addi(e.getValue().sign().muli(halfWidth.get(e.getKey())));
                            }
                        }
                        box.apply(parameters);
                        double inc = ParameterSpace.value(loss, step) - base;
                        trajectory[s] = inc;
                        best = Math.max(best, inc);
                    }
                }
            } finally {
                ParameterSpace.assignInPlace(parameters, origin);
            }
            return new Result(best, base, trajectory);
        }
    }
}
