package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.model.GradMode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The curvature and landscape tools on L(θ) = ½θᵀAθ + bᵀθ, whose Hessian is A exactly. θ is split over two
 * named tensors (a 2×3 matrix and a 4-vector, 10 scalars) to exercise the per-name plumbing. A = Q·diag(λ)·Qᵀ
 * with a Householder Q, so its eigenvalues are λ and its trace Σλ by construction.
 */
class CurvatureTest {
    private static final double[] LAMBDA = {1, 2, 3, 4, 5, 6, 7, 8, 9, 12};
    private static final int N = LAMBDA.length;

    private NDManager m;
    private Map<String, NDArray> theta;
    private double[][] a;
    private double[] b;
    private NDArray aArray, bArray;

    @BeforeEach
    void setUp() {
        m = NDManager.newBaseManager();
        Random r = new Random(7);
        double[] u = new double[N];
        for (int i = 0; i < N; i++) u[i] = (i == 0 ? 1 : 0) + 0.15 * r.nextGaussian();
        double uu = 0;
        for (double x : u) uu += x * x;
        double[][] q = new double[N][N];
        for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) q[i][j] = (i == j ? 1 : 0) - 2 * u[i] * u[j] / uu;
        a = new double[N][N];
        for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) for (int k = 0; k < N; k++) a[i][j] += q[i][k] * LAMBDA[k] * q[j][k];
        b = new double[N];
        float[] af = new float[N * N], bf = new float[N], t = new float[N];
        for (int i = 0; i < N; i++) {
            b[i] = r.nextGaussian();
            bf[i] = (float) b[i];
            t[i] = (float) r.nextGaussian();
            for (int j = 0; j < N; j++) af[i * N + j] = (float) a[i][j];
        }
        aArray = m.create(af, new Shape(N, N));
        bArray = m.create(bf, new Shape(N));
        theta = new LinkedHashMap<>();
        float[] w = new float[6], v = new float[4];
        System.arraycopy(t, 0, w, 0, 6);
        System.arraycopy(t, 6, v, 0, 4);
        theta.put("w", m.create(w, new Shape(2, 3)));
        theta.put("v", m.create(v, new Shape(4)));
    }

    @AfterEach
    void tearDown() { m.close(); }

    private ParameterLoss quadratic() {
        return scope -> {
            NDArray x = theta.get("w").reshape(6).concat(theta.get("v"));
            return x.matMul(aArray.matMul(x)).mul(0.5f).add(bArray.mul(x).sum());
        };
    }

    private double analytic(double[] x) {
        double s = 0;
        for (int i = 0; i < N; i++) {
            s += b[i] * x[i];
            for (int j = 0; j < N; j++) s += 0.5 * x[i] * a[i][j] * x[j];
        }
        return s;
    }

    private static double[] flat(Map<String, NDArray> p) {
        float[] w = p.get("w").toFloatArray(), v = p.get("v").toFloatArray();
        double[] out = new double[N];
        for (int i = 0; i < 6; i++) out[i] = w[i];
        for (int i = 0; i < 4; i++) out[6 + i] = v[i];
        return out;
    }

    @Test
    void hessianVectorProductIsAv() {
        Map<String, NDArray> before = ParameterSpace.copy(theta, m);
        Map<String, NDArray> v = ParameterSpace.gaussianLike(theta, new Random(1), m);
        double[] hv = flat(new HessianVectorProduct(theta, quadratic()).apply(v, m)), vv = flat(v);
        for (int i = 0; i < N; i++) {
            double expected = 0;
            for (int j = 0; j < N; j++) expected += a[i][j] * vv[j];
            assertThat(hv[i]).isCloseTo(expected, within(2e-3 * (1 + Math.abs(expected))));
        }
        assertThat(flat(theta)).containsExactly(flat(before));     // θ restored exactly
    }

    @Test
    void topEigenvalueAndTraceWithinOnePercent() {
        HessianSpectrum spectrum = new HessianSpectrum(theta, quadratic());
        HessianSpectrum.Eigen top = spectrum.topEigenvalue(200, 1e-7, 3, null);
        assertThat(top.value()).isCloseTo(12, within(0.12));
        HessianSpectrum.Trace trace = spectrum.hutchinsonTrace(400, 5, null);
        double exact = 0;
        for (double l : LAMBDA) exact += l;
        assertThat(trace.value()).isCloseTo(exact, within(0.01 * exact));
        assertThat(Math.abs(trace.value() - exact)).isLessThan(4 * trace.stdError() + 1e-6);
    }

    @Test
    void landscapeLineAndPlaneFollowTheAnalyticQuadratic() {
        double[] origin = flat(theta);
        LossLandscape landscape = new LossLandscape(theta, quadratic());
        Map<String, NDArray> d = landscape.direction(LossLandscape.Directions.GAUSSIAN, 11, m);
        Map<String, NDArray> e = landscape.direction(LossLandscape.Directions.GAUSSIAN, 12, m);
        double[] dd = flat(d), ee = flat(e);
        LossLandscape.Line line = landscape.line(d, 2, 9, 0, null);
        for (int i = 0; i < 9; i++) {
            double[] x = new double[N];
            for (int k = 0; k < N; k++) x[k] = origin[k] + line.alpha()[i] * dd[k];
            double expected = analytic(x);
            assertThat(line.loss()[i]).isCloseTo(expected, within(1e-4 * (1 + Math.abs(expected))));
        }
        LossLandscape.Plane plane = landscape.plane(d, e, 1, 5, 0, null);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++) {
                double[] x = new double[N];
                for (int k = 0; k < N; k++) x[k] = origin[k] + plane.alpha()[i] * dd[k] + plane.beta()[j] * ee[k];
                double expected = analytic(x);
                assertThat(plane.loss()[i][j]).isCloseTo(expected, within(1e-4 * (1 + Math.abs(expected))));
            }
        assertThat(flat(theta)).containsExactly(origin);
    }

    @Test
    void absScaledDirectionPutsTheAsamRadiusOnTheBoxRatio() {
        LossLandscape landscape = new LossLandscape(theta, quadratic());
        Map<String, NDArray> d = landscape.direction(LossLandscape.Directions.ABS_SCALED, 4, m);
        double[] dd = flat(d), w = flat(theta);
        double uMax = 0;
        for (int k = 0; k < N; k++) uMax = Math.max(uMax, Math.abs(dd[k] / w[k]));
        // at α, the largest relative move is α·max|u| (‖u‖ = 1): the box of radius ρ ends at α = ρ / max|u|
        LossLandscape.Line line = landscape.line(d, 1, 3, 0.5, null);
        assertThat(line.boxRatio()[2]).isCloseTo(uMax / 0.5, within(1e-4));
        double uNorm = 0;
        for (int k = 0; k < N; k++) uNorm += dd[k] / w[k] * (dd[k] / w[k]);
        assertThat(Math.sqrt(uNorm)).isCloseTo(1, within(1e-5));
    }

    @Test
    void asamPerturbationPenaltyAndClamp() {
        Map<String, NDArray> g = ParameterSpace.gradient(theta, quadratic(), m);
        double[] gg = flat(g), w = flat(theta);
        SharpnessAwareStep asam = new SharpnessAwareStep(SharpnessAwareStep.Kind.ASAM, 0.5);
        double[] e = flat(asam.perturbation(theta, g, m));
        double n = 0;
        for (int k = 0; k < N; k++) n += (w[k] * gg[k]) * (w[k] * gg[k]);
        for (int k = 0; k < N; k++) assertThat(e[k]).isCloseTo(0.5 * w[k] * w[k] * gg[k] / Math.sqrt(n), within(1e-5));

        Map<String, NDArray> anchor = ParameterSpace.copy(theta, m);
        Map<String, NDArray> fisher = ParameterSpace.combine(anchor, 0, anchor, 0, m);
        try (GradMode off = GradMode.off()) {
            fisher.get("w").addi(2f);
            fisher.get("v").addi(3f);
        }
        Map<String, NDArray> shift = ParameterSpace.gaussianLike(theta, new Random(2), m);
        ParameterSpace.addScaledInPlace(theta, shift, 1);
        QuadraticPenalty penalty = new QuadraticPenalty(fisher, anchor, 10);
        double[] s = flat(shift);
        double expected = 0;
        for (int k = 0; k < N; k++) expected += 0.5 * 10 * (k < 6 ? 2 : 3) * s[k] * s[k];
        assertThat(penalty.value(theta)).isCloseTo(expected, within(1e-3 * expected));
        Map<String, NDArray> zero = ParameterSpace.combine(anchor, 0, anchor, 0, m);
        penalty.addGradient(theta, zero);
        double[] pg = flat(zero);
        for (int k = 0; k < N; k++) assertThat(pg[k]).isCloseTo(10 * (k < 6 ? 2 : 3) * s[k], within(1e-3));

        BoxClamp box = new BoxClamp(anchor, 0.1, m);
        box.apply(theta);
        double[] clamped = flat(theta), a0 = flat(anchor);
        for (int k = 0; k < N; k++) {
            double lo = a0[k] - 0.1 * Math.abs(a0[k]), hi = a0[k] + 0.1 * Math.abs(a0[k]);
            assertThat(clamped[k]).isBetween(lo - 1e-6, hi + 1e-6)
                    .isCloseTo(Math.min(hi, Math.max(lo, a0[k] + s[k])), within(1e-6));
        }
        double share = box.shareAtBound(theta).values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(share).isGreaterThan(0.5);   // Gaussian shifts of size ~1 leave a ±10% box almost always
    }

    @Test
    void boxSharpnessFindsTheWorstCornerOfASeparableQuadratic() {
        // L = ½ Σ c_k θ_k² (diagonal A): inside the box around θ*, the worst point is θ*_k(1 + ρ·sign(θ*_k)) per coordinate
        Map<String, NDArray> w = new LinkedHashMap<>();
        w.put("x", m.create(new float[]{1f, -2f, 0.5f}));
        NDArray c = m.create(new float[]{1f, 3f, 2f});
        ParameterLoss loss = s -> w.get("x").square().mul(c).sum().mul(0.5f);
        BoxSharpness.Result r = BoxSharpness.measure(w, loss, 0.2, 10, 0.5, null);
        double[] x = {1, -2, 0.5}, cc = {1, 3, 2};
        double base = 0, worst = 0;
        for (int k = 0; k < 3; k++) {
            base += 0.5 * cc[k] * x[k] * x[k];
            worst += 0.5 * cc[k] * Math.pow(x[k] * 1.2, 2);
        }
        assertThat(r.baseLoss()).isCloseTo(base, within(1e-5));
        assertThat(r.increase()).isCloseTo(worst - base, within(1e-4));
        assertThat(w.get("x").toFloatArray()).containsExactly(1f, -2f, 0.5f);
    }
}
