package org.layerwise.flatness.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.train.BoxClamp;
import org.layerwise.engine.train.BoxSharpness;
import org.layerwise.engine.train.HessianSpectrum;
import org.layerwise.engine.train.LossLandscape;
import org.layerwise.engine.train.ParameterLoss;
import org.layerwise.engine.train.ParameterSpace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The flatness views of a finished {@link ContinualLearner}, computed at the saved solutions θ_l (the model is put
 * back to its final weights afterwards): loss landscapes around each task's solution, interpolation between
 * consecutive solutions, Hessian top eigenvalue and trace and box sharpness per task × checkpoint, per-layer Fisher
 * histograms, Fisher vs |Δw| after the next task, and the share of weights at the clamp bound. Losses use up to
 * {@code rows} test examples of a task (fixed, so every point of a view sees the same data).
 */
public final class FlatnessViews {
    private final ContinualLearner learner;
    private final int rows;

    public FlatnessViews(ContinualLearner learner, int rows) {
        if (learner.solutions().isEmpty()) throw new IllegalStateException("the run has no finished task to look at");
        this.learner = learner;
        this.rows = rows;
    }

    private ParameterLoss loss(int task) {
        return learner.taskLoss(task, learner.sequence().tasks().get(task).test(), rows);
    }

    /** Runs {@code body} with the live parameters set to the solution of task {@code checkpoint}, then restores them. */
    private <T> T at(int checkpoint, java.util.function.Supplier<T> body) {
        Map<String, NDArray> params = learner.classifier().parameters();
        try (NDManager scope = NDManager.newBaseManager()) {
            Map<String, NDArray> now = ParameterSpace.copy(params, scope);
            ParameterSpace.assignInPlace(params, learner.solutions().get(checkpoint));
            try {
                return body.get();
            } finally {
                ParameterSpace.assignInPlace(params, now);
            }
        }
    }

    /** Tasks with a saved solution. */
    public int checkpoints() { return learner.solutions().size(); }

    public double rho() { return learner.config().number("clamp_rho"); }

    /** 1D landscape of task {@code task}'s loss around its own solution. */
    public LossLandscape.Line line(int task, LossLandscape.Directions kind, double span, int points, long seed, JobContext ctx) {
        return at(task, () -> {
            LossLandscape l = new LossLandscape(learner.classifier().parameters(), loss(task));
            try (NDManager scope = NDManager.newBaseManager()) {
                return l.line(l.direction(kind, seed, scope), span, points, rho(), ctx);
            }
        });
    }

    /** 2D landscape (points × points) of task {@code task}'s loss around its own solution. */
    public LossLandscape.Plane plane(int task, LossLandscape.Directions kind, double span, int points, long seed, JobContext ctx) {
        return at(task, () -> {
            LossLandscape l = new LossLandscape(learner.classifier().parameters(), loss(task));
            try (NDManager scope = NDManager.newBaseManager()) {
                return l.plane(l.direction(kind, seed, scope), l.direction(kind, seed + 1, scope), span, points, rho(), ctx);
            }
        });
    }

    /** Loss of every task ≤ from+1 along (1−t)θ_from + tθ_{from+1}, t in [−0.25, 1.25]: result[task][i]. */
    public double[][] interpolation(int from, int points, JobContext ctx) {
        if (from + 1 >= checkpoints()) throw new IllegalArgumentException("task " + from + " has no next solution to interpolate to");
        List<ParameterLoss> losses = new ArrayList<>();
        for (int j = 0; j <= from + 1; j++) losses.add(loss(j));
        return LossLandscape.interpolate(learner.classifier().parameters(), learner.solutions().get(from), learner.solutions().get(from + 1),
                losses, -0.25, 1.25, points, ctx);
    }

    /** Curvature of task j's loss at checkpoint l (NaN for l &lt; j): top eigenvalue, Hutchinson trace, box sharpness. */
    public record Curvature(double[][] topEigenvalue, double[][] trace, double[][] boxSharpness) {}

    public Curvature curvature(int powerIterations, int probes, int ascentSteps, JobContext ctx) {
        int n = checkpoints();
        double[][] eig = nanMatrix(n), tr = nanMatrix(n), box = nanMatrix(n);
        for (int l = 0; l < n; l++) {
            final int cl = l;
            at(l, () -> {
                for (int j = 0; j <= cl; j++) {
                    if (ctx != null) ctx.progress((double) cl / n, "curvature of task " + (j + 1) + " at checkpoint " + (cl + 1));
                    HessianSpectrum h = new HessianSpectrum(learner.classifier().parameters(), loss(j));
                    eig[j][cl] = h.topEigenvalue(powerIterations, 1e-3, 17, ctx).value();
                    tr[j][cl] = h.hutchinsonTrace(probes, 19, ctx).value();
                    box[j][cl] = BoxSharpness.measure(learner.classifier().parameters(), loss(j), rho(), ascentSteps, 0.5, ctx).increase();
                }
                return null;
            });
        }
        return new Curvature(eig, tr, box);
    }

    /** Histogram of log10 F per parameter tensor of task {@code task}'s own Fisher: bin edges and counts per layer. */
    public record Histograms(double[] edges, Map<String, double[]> counts) {}

    public Histograms fisherHistograms(int task, int bins) {
        if (task >= learner.taskFishers().size()) throw new IllegalArgumentException("no Fisher was computed for task " + task);
        Map<String, NDArray> f = learner.taskFishers().get(task);
        double lo = -12, hi = 2;
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) edges[i] = lo + (hi - lo) * i / bins;
        Map<String, double[]> counts = new LinkedHashMap<>();
        try (GradMode off = GradMode.off(); NDManager scope = NDManager.newBaseManager()) {
            for (Map.Entry<String, NDArray> e : f.entrySet()) {
                if (!e.getKey().endsWith("weight")) continue;
                NDArray x = e.getValue();
                ParameterSpace.hold(scope, x);
                float[] logs = x.add(1e-30f).log10().clip(lo, hi - 1e-9).toFloatArray();
                double[] c = new double[bins];
                for (float v : logs) c[(int) Math.min(bins - 1, Math.floor((v - lo) / (hi - lo) * bins))]++;
                counts.put(e.getKey(), c);
            }
        }
        return new Histograms(edges, counts);
    }

    /** Per weight (a seeded sample of at most {@code max}): task l's Fisher F_i and |θ_{l+1,i} − θ_{l,i}|. */
    public record Scatter(double[] fisher, double[] shift) {}

    public Scatter fisherVsShift(int task, int max, long seed) {
        if (task + 1 >= checkpoints() || task >= learner.taskFishers().size())
            throw new IllegalArgumentException("task " + task + " has no next solution or no Fisher");
        Map<String, NDArray> f = learner.taskFishers().get(task), a = learner.solutions().get(task), b = learner.solutions().get(task + 1);
        List<Double> fs = new ArrayList<>(), ds = new ArrayList<>();
        try (GradMode off = GradMode.off(); NDManager scope = NDManager.newBaseManager()) {
            for (Map.Entry<String, NDArray> e : f.entrySet()) {
                if (e.getKey().startsWith("heads.")) continue;          // shared weights only: heads of later tasks do not exist yet
                NDArray fa = e.getValue(), x = a.get(e.getKey()), y = b.get(e.getKey());
                ParameterSpace.hold(scope, fa, x, y);
                float[] fv = fa.toFloatArray(), dv = y.sub(x).abs().toFloatArray();
                for (int i = 0; i < fv.length; i++) { fs.add((double) fv[i]); ds.add((double) dv[i]); }
            }
        }
        Random r = new Random(seed);
        int n = fs.size();
        int keep = Math.min(max, n);
        int[] idx = ContinualLearner.permutation(n, r);
        double[] fo = new double[keep], so = new double[keep];
        for (int i = 0; i < keep; i++) { fo[i] = fs.get(idx[i]); so[i] = ds.get(idx[i]); }
        return new Scatter(fo, so);
    }

    /**
     * Share of the shared (body) weights of θ_{l+1} that sit at the bound of the box around θ_l with the clamp
     * radius, per checkpoint l (index l: after task l+1); for C&amp;F this is where the clamp is active.
     */
    public double[] shareAtBound() {
        int n = checkpoints();
        double[] out = new double[Math.max(0, n - 1)];
        for (int l = 0; l + 1 < n; l++) {
            try (NDManager scope = NDManager.newBaseManager()) {
                Map<String, NDArray> body = new LinkedHashMap<>();
                learner.solutions().get(l).forEach((k, v) -> { if (!k.startsWith("heads.")) body.put(k, v); });
                BoxClamp box = new BoxClamp(body, rho(), scope);
                Map<String, Double> share = box.shareAtBound(learner.solutions().get(l + 1));
                double s = 0, w = 0;
                for (Map.Entry<String, Double> e : share.entrySet()) {
                    double size = body.get(e.getKey()).size();
                    s += e.getValue() * size;
                    w += size;
                }
                out[l] = s / w;
            }
        }
        return out;
    }

    private static double[][] nanMatrix(int n) {
        double[][] m = new double[n][n];
        for (double[] r : m) java.util.Arrays.fill(r, Double.NaN);
        return m;
    }
}
