package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.layerwise.engine.model.GradMode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The gradient of sharpness-aware minimisation: ascend to the worst point of a neighbourhood, take the
 * gradient there, come back. SAM (Foret et al. 2021): e = ρ·g/‖g‖. Adaptive SAM (Kwon et al. 2021, the
 * "create flatness" step of C&amp;F): e = ρ·(w⊙w)⊙g / ‖|w|⊙g‖₂, i.e. the ascent in the neighbourhood
 * {‖e/|w|‖ ≤ ρ}, scale-invariant per weight.
 */
public final class SharpnessAwareStep {
    public enum Kind { SAM, ASAM }

    /** The gradient at the perturbed point and the loss at the original point. */
    public record Result(Map<String, NDArray> gradient, double loss) {}

    private final Kind kind;
    private final double rho;

    public SharpnessAwareStep(Kind kind, double rho) {
        if (!(rho > 0)) throw new IllegalArgumentException("the SAM radius rho must be positive, not " + rho);
        this.kind = kind;
        this.rho = rho;
    }

    public Kind kind() { return kind; }

    public double rho() { return rho; }

    /** The ascent e for gradient g at weights w, as new arrays in {@code scope}. */
    public Map<String, NDArray> perturbation(Map<String, NDArray> weights, Map<String, NDArray> gradient, NDManager scope) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (GradMode off = GradMode.off()) {
            double denominator;
            Map<String, NDArray> scaled = new LinkedHashMap<>();      // |w|⊙g for ASAM, g for SAM
            try (NDManager tmp = scope.newSubManager()) {
                for (Map.Entry<String, NDArray> e : gradient.entrySet()) {
                    NDArray g = e.getValue();
                    NDArray w = weights.get(e.getKey());
                    ParameterSpace.hold(tmp, g, w);
                    NDArray s = kind == Kind.ASAM ? w.abs().mul(g) : g.duplicate();
                    s.attach(scope);
                    scaled.put(e.getKey(), s);
                }
                denominator = ParameterSpace.norm(scaled) + 1e-12;
            }
            for (Map.Entry<String, NDArray> e : scaled.entrySet()) {
                NDArray s = e.getValue();
                NDArray w = weights.get(e.getKey());
                try (NDManager tmp = scope.newSubManager()) {
                    ParameterSpace.hold(tmp, w);
                    // ASAM: ρ·|w|·(|w|⊙g)/‖|w|⊙g‖ = ρ·w²⊙g/‖|w|⊙g‖
                    NDArray r = kind == Kind.ASAM ? s.mul(w.abs()).muli(rho / denominator) : s.mul(rho / denominator);
                    r.attach(scope);
                    out.put(e.getKey(), r);
                }
            }
            scaled.values().forEach(NDArray::close);
        }
        return out;
    }

    /**
     * The sharpness-aware gradient of {@code loss}: gradient g at w, move to w + e, gradient there, restore w
     * exactly. The returned gradient lives in {@code scope}.
     */
    public Result gradient(Map<String, NDArray> parameters, ParameterLoss loss, NDManager scope) {
        try (NDManager work = scope.newSubManager()) {
            Map<String, NDArray> origin = ParameterSpace.copy(parameters, work);
            double[] value = new double[1];
            Map<String, NDArray> g = ParameterSpace.gradient(parameters, s -> {
                NDArray l = loss.loss(s);
                value[0] = l.getFloat();
                return l;
            }, work);
            Map<String, NDArray> e = perturbation(parameters, g, work);
            try {
                ParameterSpace.addScaledInPlace(parameters, e, 1);
                Map<String, NDArray> atWorst = ParameterSpace.gradient(parameters, loss, scope);
                return new Result(atWorst, value[0]);
            } finally {
                ParameterSpace.assignInPlace(parameters, origin);
            }
        }
    }
}
