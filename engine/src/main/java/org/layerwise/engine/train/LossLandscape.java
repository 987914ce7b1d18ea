package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.GradMode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Loss along lines and planes through parameter space (Li et al. 2018): L(θ + αd) and L(θ + αd + βe) for
 * random directions d, e, and L((1−t)θ_a + tθ_b) between two solutions. The live parameters are moved
 * point by point and restored exactly from a snapshot at the end (also when cancelled).
 * <p>
 * Directions, for parameters stored torch-style (filters along axis 0):
 * <ul>
 * <li>{@link Directions#FILTER_NORMALISED}: Gaussian, each filter (row of a matrix) rescaled to the norm of
 *     the same filter of θ; vectors (biases, norms) get zero, as Li et al. do;</li>
 * <li>{@link Directions#ABS_SCALED}: d = |θ|⊙u with a Gaussian u, ‖u‖ = 1, so α = ρ lies on the edge of the
 *     adaptive-SAM neighbourhood ‖e/|θ|‖ ≤ ρ;</li>
 * <li>{@link Directions#GAUSSIAN}: plain Gaussian with unit norm.</li>
 * </ul>
 * The box ratio max_i |αd_i + βe_i| / (ρ|θ_i|) tells whether a point is inside C&amp;F's clamp box (≤ 1).
 */
public final class LossLandscape {
    public enum Directions { FILTER_NORMALISED, ABS_SCALED, GAUSSIAN }

    /** A 1D slice: alpha[i] → loss[i]; boxRatio[i] ≤ 1 inside the clamp box of radius rho. */
    public record Line(double[] alpha, double[] loss, double[] boxRatio) {}

    /** A 2D slice: loss[i][j] at (alpha[i], beta[j]). */
    public record Plane(double[] alpha, double[] beta, double[][] loss, double[][] boxRatio) {}

    private final Map<String, NDArray> parameters;
    private final ParameterLoss loss;

    public LossLandscape(Map<String, NDArray> parameters, ParameterLoss loss) {
        this.parameters = parameters;
        this.loss = loss;
    }

    /** A random direction of the given kind around the current parameters, in {@code scope}. */
    public Map<String, NDArray> direction(Directions kind, long seed, NDManager scope) {
        Map<String, NDArray> u = ParameterSpace.gaussianLike(parameters, new Random(seed), scope);
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (GradMode off = GradMode.off()) {
            double un = ParameterSpace.norm(u);
            for (Map.Entry<String, NDArray> e : u.entrySet()) {
                NDArray d = e.getValue(), w = parameters.get(e.getKey());
                try (NDManager tmp = scope.newSubManager()) {
                    ParameterSpace.hold(tmp, w);
                    NDArray r = switch (kind) {
                        case GAUSSIAN -> d.div(un);
                        case ABS_SCALED -> w.abs().mul(d).divi(un);
                        case FILTER_NORMALISED -> {
                            if (w.getShape().dimension() < 2) yield w.zerosLike();
                            long rows = w.getShape().get(0);
                            NDArray wf = w.reshape(rows, -1), df = d.reshape(rows, -1);
                            NDArray wn = wf.norm(new int[]{1}, true), dn = df.norm(new int[]{1}, true).addi(1e-10f);
                            yield df.div(dn).muli(wn).reshape(w.getShape());
                        }
                    };
                    r.attach(scope);
                    out.put(e.getKey(), r);
                }
            }
        }
        return out;
    }

    /** L(θ + αd) at {@code points} evenly spaced α in [−span, span]; box ratios for radius {@code rho} (≤ 0: none). */
    public Line line(Map<String, NDArray> d, double span, int points, double rho, JobContext ctx) {
        Plane p = grid(d, null, span, points, 1, rho, ctx);
        double[] l = new double[points], b = new double[points];
        for (int i = 0; i < points; i++) {
            l[i] = p.loss()[i][0];
            b[i] = p.boxRatio()[i][0];
        }
        return new Line(p.alpha(), l, b);
    }

    /** L(θ + αd + βe) on a points × points grid over [−span, span]². */
    public Plane plane(Map<String, NDArray> d, Map<String, NDArray> e, double span, int points, double rho, JobContext ctx) {
        return grid(d, e, span, points, points, rho, ctx);
    }

    private Plane grid(Map<String, NDArray> d, Map<String, NDArray> e, double span, int na, int nb, double rho, JobContext ctx) {
        if (na < 2 && span != 0) throw new IllegalArgumentException("a landscape needs at least 2 points per axis, not " + na);
        double[] alpha = axis(span, na), beta = e == null ? new double[]{0} : axis(span, nb);
        double[][] out = new double[alpha.length][beta.length], box = new double[alpha.length][beta.length];
        try (NDManager scope = NDManager.newBaseManager()) {
            Map<String, NDArray> origin = ParameterSpace.copy(parameters, scope);
            Map<String, NDArray> radius = rho > 0 ? ParameterSpace.combine(origin, 0, origin, 0, scope) : null;
            if (radius != null) try (GradMode off = GradMode.off()) {
                for (Map.Entry<String, NDArray> r : radius.entrySet())
                    r.getValue().set(new NDIndex("..."), origin.get(r.getKey()).abs().muli(rho).addi(1e-30f));
            }
            try {
                int done = 0;
                for (int i = 0; i < alpha.length; i++) {
                    for (int j = 0; j < beta.length; j++) {
                        if (ctx != null) ctx.checkCancelled();
                        try (NDManager point = scope.newSubManager()) {
                            Map<String, NDArray> step = e == null ? ParameterSpace.combine(d, alpha[i], d, 0, point)
                                    : ParameterSpace.combine(d, alpha[i], e, beta[j], point);
                            ParameterSpace.assignInPlace(parameters, origin);
                            ParameterSpace.addScaledInPlace(parameters, step, 1);
                            out[i][j] = ParameterSpace.value(loss, point);
                            box[i][j] = radius == null ? Double.NaN : boxRatio(step, radius);
                        }
                        done++;
                        if (ctx != null) ctx.progress((double) done / (alpha.length * beta.length), "landscape point " + done);
                    }
                }
            } finally {
                ParameterSpace.assignInPlace(parameters, origin);
            }
        }
        return new Plane(alpha, beta, out, box);
    }

    /** L((1−t)θ_a + tθ_b) for each loss, at {@code points} values of t in [from, to]; result[k][i] for loss k. */
    public static double[][] interpolate(Map<String, NDArray> parameters, Map<String, NDArray> a, Map<String, NDArray> b,
                                         List<ParameterLoss> losses, double from, double to, int points, JobContext ctx) {
        double[][] out = new double[losses.size()][points];
        try (NDManager scope = NDManager.newBaseManager()) {
            Map<String, NDArray> origin = ParameterSpace.copy(parameters, scope);
            try {
                for (int i = 0; i < points; i++) {
                    if (ctx != null) ctx.checkCancelled();
                    double t = points == 1 ? from : from + (to - from) * i / (points - 1);
                    try (NDManager point = scope.newSubManager()) {
                        ParameterSpace.assignInPlace(parameters, ParameterSpace.combine(a, 1 - t, b, t, point));
                        for (int k = 0; k < losses.size(); k++) out[k][i] = ParameterSpace.value(losses.get(k), point);
                    }
                }
            } finally {
                ParameterSpace.assignInPlace(parameters, origin);
            }
        }
        return out;
    }

    /** max_i |step_i| / radius_i. */
    private static double boxRatio(Map<String, NDArray> step, Map<String, NDArray> radius) {
        double m = 0;
        try (GradMode off = GradMode.off(); NDManager tmp = NDManager.newBaseManager()) {
            for (Map.Entry<String, NDArray> s : step.entrySet()) {
                NDArray r = radius.get(s.getKey());
                if (r == null || s.getValue().size() == 0) continue;
                ParameterSpace.hold(tmp, s.getValue(), r);
                m = Math.max(m, s.getValue().abs().div(r).max().toType(DataType.FLOAT64, false).getDouble());
            }
        }
        return m;
    }

    public static double[] axis(double span, int points) {
        double[] a = new double[points];
        for (int i = 0; i < points; i++) a[i] = points == 1 ? 0 : -span + 2 * span * i / (points - 1);
        return a;
    }
}
