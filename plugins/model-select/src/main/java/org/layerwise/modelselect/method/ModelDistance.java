package org.layerwise.modelselect.method;

import java.util.Arrays;

/**
 * The paper's distance between two candidate models: over the data sets where both have a usable (> 0)
 * accuracy, the mean of the {@value #TOP} largest absolute accuracy gaps. Two models that share
 * {@value #TOP} or fewer such data sets cannot be compared and get {@value #INCOMPARABLE}.
 */
public final class ModelDistance {
    public static final int TOP = 5;
    public static final double INCOMPARABLE = 1e7;

    private ModelDistance() {}

    public static double between(double[] a, double[] b) {
        double[] gaps = new double[a.length];
        int n = 0;
        for (int d = 0; d < a.length; d++) {
            if (a[d] > 0 && b[d] > 0) gaps[n++] = Math.abs(a[d] - b[d]);
        }
        if (n <= TOP) return INCOMPARABLE;
        double[] used = Arrays.copyOf(gaps, n);
        Arrays.sort(used);
        double sum = 0;
        for (int i = n - TOP; i < n; i++) sum += used[i];
        return sum / TOP;
    }

    /** The symmetric model × model distance matrix (zero diagonal). */
    public static double[][] matrix(PerformanceMatrix p) {
        int n = p.modelCount();
        double[][] columns = new double[n][];
        for (int m = 0; m < n; m++) columns[m] = p.column(m);
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) d[i][j] = d[j][i] = between(columns[i], columns[j]);
        return d;
    }
}
