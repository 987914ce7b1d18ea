package org.layerwise.flatness.figure;

import java.util.ArrayList;
import java.util.List;

/** Iso-lines of a grid by marching squares, as x/y arrays whose segments are separated by NaN (a line chart draws them). */
final class Contours {
    private Contours() {}

    /** Segments where values[i][j] (at x[i], y[j]) crosses {@code level}. */
    static double[][] lines(double[] x, double[] y, double[][] values, double level) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i + 1 < x.length; i++)
            for (int j = 0; j + 1 < y.length; j++) {
                double[] c = {values[i][j], values[i + 1][j], values[i + 1][j + 1], values[i][j + 1]};
                double[][] corner = {{x[i], y[j]}, {x[i + 1], y[j]}, {x[i + 1], y[j + 1]}, {x[i], y[j + 1]}};
                List<double[]> cross = new ArrayList<>();
                for (int e = 0; e < 4; e++) {
                    double a = c[e], b = c[(e + 1) % 4];
                    if (Double.isNaN(a) || Double.isNaN(b)) continue;
                    if ((a < level) != (b < level)) {
                        double t = (level - a) / (b - a);
                        double[] p = corner[e], q = corner[(e + 1) % 4];
                        cross.add(new double[]{p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])});
                    }
                }
                for (int k = 0; k + 1 < cross.size(); k += 2) {      // 2 crossings: one segment; 4 (saddle): two
                    pts.add(cross.get(k));
                    pts.add(cross.get(k + 1));
                    pts.add(new double[]{Double.NaN, Double.NaN});
                }
            }
        double[][] out = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) { out[0][i] = pts.get(i)[0]; out[1][i] = pts.get(i)[1]; }
        return out;
    }
}
