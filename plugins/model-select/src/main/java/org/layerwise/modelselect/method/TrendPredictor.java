package org.layerwise.modelselect.method;

import java.util.Arrays;
import java.util.List;

/**
 * The convergence-trend predictor of fine selection: to guess a model's final accuracy on the target from
 * its accuracy after epoch e, look at the same model's epoch-e validation accuracies on the other benchmark
 * data sets, cluster them with 1-D k-means (K = {@value #PAPER_K}), label each cluster with its members' mean
 * final test accuracy, and answer the label of the cluster the target accuracy falls in (nearest centre).
 */
public final class TrendPredictor {
    public static final int PAPER_K = 4;

    private final LearningCurves curves;
    private final List<String> benchmarks;
    private final int k;

    /** @param benchmarks the data sets to learn the trend from (never the target) */
    public TrendPredictor(LearningCurves curves, List<String> benchmarks, int k) {
        this.curves = curves;
        this.benchmarks = List.copyOf(benchmarks);
        this.k = k;
    }

    /** Predicted final accuracy of {@code model} whose target validation accuracy after {@code epoch} (1-based) is {@code accuracy}. */
    public double predict(String model, int epoch, double accuracy) {
        List<String> known = benchmarks.stream().filter(d -> curves.has(model, d) && curves.get(model, d).epochs() >= epoch).toList();
        if (known.isEmpty()) return accuracy;        // nothing to learn from: the current accuracy is the best guess
        double[] at = new double[known.size()], fin = new double[known.size()];
        for (int i = 0; i < at.length; i++) {
            LearningCurves.Curve c = curves.get(model, known.get(i));
            at[i] = c.validation()[epoch - 1];
            fin[i] = c.finalTest();
        }
        return predict(accuracy, at, fin, k);
    }

    /** The rule on plain arrays: {@code atEpoch[i]} and {@code finals[i]} are one benchmark's epoch-e and final accuracies. */
    public static double predict(double accuracy, double[] atEpoch, double[] finals, int k) {
        int[] assign = kMeans1d(atEpoch, k);
        int clusters = Arrays.stream(assign).max().orElse(0) + 1;
        double[] centre = new double[clusters], label = new double[clusters];
        int[] count = new int[clusters];
        for (int i = 0; i < atEpoch.length; i++) {
            centre[assign[i]] += atEpoch[i];
            label[assign[i]] += finals[i];
            count[assign[i]]++;
        }
        int nearest = 0;
        for (int c = 0; c < clusters; c++) {
            centre[c] /= count[c];
            label[c] /= count[c];
            if (Math.abs(accuracy - centre[c]) < Math.abs(accuracy - centre[nearest])) nearest = c;
        }
        return label[nearest];
    }

    /**
     * Lloyd's k-means in one dimension, started from evenly spaced quantiles of the sorted values (so it is
     * deterministic); K is capped by the number of distinct values. Returns each value's cluster, the clusters
     * numbered by increasing centre and none empty.
     */
    public static int[] kMeans1d(double[] values, int k) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int distinct = (int) Arrays.stream(sorted).distinct().count();
        int K = Math.max(1, Math.min(k, distinct));
        double[] centre = new double[K];
        double[] uniq = Arrays.stream(sorted).distinct().toArray();
        for (int c = 0; c < K; c++) centre[c] = uniq[K == 1 ? 0 : (int) Math.round((double) c * (uniq.length - 1) / (K - 1))];
        int[] assign = new int[values.length];
        for (int iter = 0; iter < 100; iter++) {
            boolean changed = false;
            for (int i = 0; i < values.length; i++) {
                int best = 0;
                for (int c = 1; c < K; c++) if (Math.abs(values[i] - centre[c]) < Math.abs(values[i] - centre[best])) best = c;
                if (assign[i] != best || iter == 0) { changed |= assign[i] != best; assign[i] = best; }
            }
            double[] sum = new double[K];
            int[] n = new int[K];
            for (int i = 0; i < values.length; i++) { sum[assign[i]] += values[i]; n[assign[i]]++; }
            for (int c = 0; c < K; c++) if (n[c] > 0) centre[c] = sum[c] / n[c];
            if (!changed && iter > 0) break;
        }
        // renumber by centre, dropping empty clusters
        int[] n = new int[K];
        for (int a : assign) n[a]++;
        Integer[] order = new Integer[K];
        for (int c = 0; c < K; c++) order[c] = c;
        double[] cen = centre;
        Arrays.sort(order, (a, b) -> Double.compare(cen[a], cen[b]));
        int[] newId = new int[K];
        int next = 0;
        for (int c : order) newId[c] = n[c] > 0 ? next++ : -1;
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) out[i] = newId[assign[i]];
        return out;
    }
}
