package org.layerwise.flatness.method;

import java.util.Arrays;

/**
 * a[l][j]: test accuracy on task j after training task l (NaN until measured), and the continual-learning
 * metrics over it (Chaudhry et al. 2018, as the C&amp;F code computes them):
 * average accuracy A_k = mean_{j≤k} a[k][j]; forgetting F_k = mean_{j<k} max_{l<k}(a[l][j] − a[k][j]);
 * intransigence I_k = a*_k − a[k][k] with a* the multi-task accuracy.
 */
public final class AccuracyMatrix {
    private final double[][] a;

    public AccuracyMatrix(int tasks) {
        a = new double[tasks][tasks];
        for (double[] row : a) Arrays.fill(row, Double.NaN);
    }

    public static AccuracyMatrix of(double[][] values) {
        AccuracyMatrix m = new AccuracyMatrix(values.length);
        for (int i = 0; i < values.length; i++) m.a[i] = values[i].clone();
        return m;
    }

    public int tasks() { return a.length; }

    public void set(int afterTask, int task, double accuracy) { a[afterTask][task] = accuracy; }

    public double get(int afterTask, int task) { return a[afterTask][task]; }

    public double[][] values() {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) out[i] = a[i].clone();
        return out;
    }

    /** Rows measured so far. */
    public int completed() {
        int n = 0;
        while (n < a.length && !Double.isNaN(a[n][n])) n++;
        return n;
    }

    public double averageAccuracy(int k) {
        double s = 0;
        for (int j = 0; j <= k; j++) s += a[k][j];
        return s / (k + 1);
    }

    /** F_k (0 for k = 0). */
    public double forgetting(int k) {
        if (k == 0) return 0;
        double s = 0;
        for (int j = 0; j < k; j++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int l = j; l < k; l++) best = Math.max(best, a[l][j]);
            s += best - a[k][j];
        }
        return s / k;
    }

    /** I_k against the multi-task accuracies {@code reference} (a*_j per task). */
    public double intransigence(int k, double[] reference) { return reference[k] - a[k][k]; }

    /** Mean of I_j over j ≤ k. */
    public double meanIntransigence(int k, double[] reference) {
        double s = 0;
        for (int j = 0; j <= k; j++) s += intransigence(j, reference);
        return s / (k + 1);
    }
}
