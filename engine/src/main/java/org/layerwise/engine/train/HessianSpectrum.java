package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.layerwise.engine.jobs.JobContext;

import java.util.Map;
import java.util.Random;

/**
 * Curvature summaries of a loss at the current parameters (PyHessian's two workhorses):
 * the top eigenvalue of the Hessian by power iteration on Hessian-vector products, and its trace by
 * Hutchinson's estimator tr H = E[zᵀHz] with Rademacher z.
 */
public final class HessianSpectrum {
    /** @param iterations power-iteration steps used; converged: the relative change fell below the tolerance */
    public record Eigen(double value, int iterations, boolean converged) {}

    /** @param stdError the standard error of the mean over probes */
    public record Trace(double value, double stdError, int probes) {}

    private final HessianVectorProduct hvp;
    private final Map<String, NDArray> parameters;

    public HessianSpectrum(Map<String, NDArray> parameters, ParameterLoss loss) {
        this.parameters = parameters;
        this.hvp = new HessianVectorProduct(parameters, loss);
    }

    /**
     * The eigenvalue of largest magnitude (for a trained network's Hessian: the top one, the sharpness),
     * as the Rayleigh quotient vᵀHv of the power iterate v ← Hv/‖Hv‖ from a seeded Gaussian start.
     */
    public Eigen topEigenvalue(int maxIterations, double tolerance, long seed, JobContext ctx) {
        try (NDManager scope = NDManager.newBaseManager()) {
            Map<String, NDArray> v = ParameterSpace.normalised(ParameterSpace.gaussianLike(parameters, new Random(seed), scope), scope);
            double eigen = Double.NaN;
            for (int i = 1; i <= maxIterations; i++) {
                if (ctx != null) ctx.checkCancelled();
                try (NDManager step = scope.newSubManager()) {
                    Map<String, NDArray> hv = hvp.apply(v, step);
                    double next = ParameterSpace.dot(v, hv);
                    double n = ParameterSpace.norm(hv);
                    if (n == 0) return new Eigen(0, i, true);
                    Map<String, NDArray> nv = ParameterSpace.combine(hv, 1 / n, hv, 0, scope);
                    v.values().forEach(NDArray::close);
                    v = nv;
                    boolean done = Double.isFinite(eigen) && Math.abs(next - eigen) <= tolerance * (Math.abs(eigen) + 1e-12);
                    eigen = next;
                    if (done) return new Eigen(eigen, i, true);
                }
            }
            return new Eigen(eigen, maxIterations, false);
        }
    }

    /** Hutchinson's estimate of tr H from {@code probes} Rademacher vectors. */
    public Trace hutchinsonTrace(int probes, long seed, JobContext ctx) {
        if (probes < 1) throw new IllegalArgumentException("Hutchinson needs at least one probe, not " + probes);
        Random random = new Random(seed);
        double sum = 0, sumSq = 0;
        try (NDManager scope = NDManager.newBaseManager()) {
            for (int i = 0; i < probes; i++) {
                if (ctx != null) ctx.checkCancelled();
                try (NDManager step = scope.newSubManager()) {
                    Map<String, NDArray> z = ParameterSpace.rademacherLike(parameters, random, step);
                    double q = ParameterSpace.dot(z, hvp.apply(z, step));
                    sum += q;
                    sumSq += q * q;
                }
            }
        }
        double mean = sum / probes;
        double var = probes > 1 ? Math.max(0, (sumSq - probes * mean * mean) / (probes - 1)) : Double.NaN;
        return new Trace(mean, Math.sqrt(var / probes), probes);
    }
}
