package org.layerwise.flatness.figure;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.layerwise.engine.train.LossLandscape;
import org.layerwise.flatness.method.AccuracyMatrix;
import org.layerwise.flatness.method.FlatnessViews;
import org.layerwise.flatness.method.MethodComparison;
import org.layerwise.sdk.figure.Heatmap;
import org.layerwise.sdk.figure.LineFigures;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The charts of the flatness workspace and docs (JFreeChart; shown in FigurePanels, exported as PDF/SVG/PNG/CSV). */
public final class FlatnessFigures {
    private FlatnessFigures() {}

    private static List<String> taskLabels(List<String> names) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) out.add((i + 1) + ": " + names.get(i));
        return out;
    }

    /** a[l][j] as a heatmap: rows = after training task l, columns = evaluated task j. */
    public static JFreeChart accuracyMatrix(String title, AccuracyMatrix m, List<String> tasks) {
        return Heatmap.of(m.values()).title(title).rowAxis("after task").columnAxis("evaluated task").valueLabel("accuracy")
                .rowLabels(taskLabels(tasks)).columnLabels(taskLabels(tasks)).range(0, 1).firstRowAtTop(true).chart();
    }

    /** Average accuracy and forgetting after each task, per method (one matrix per method, e.g. seed 0). */
    public static JFreeChart metricsOverTime(Map<String, AccuracyMatrix> matrices) {
        LineFigures.Builder b = LineFigures.builder("Average accuracy and forgetting over time", "tasks trained", "average accuracy")
                .integerX(true).markers(true).secondaryAxis("forgetting", false, false);
        for (Map.Entry<String, AccuracyMatrix> e : matrices.entrySet()) {
            AccuracyMatrix m = e.getValue();
            int k = m.completed();
            if (k == 0) continue;
            double[] x = new double[k], acc = new double[k], fgt = new double[k];
            for (int i = 0; i < k; i++) { x[i] = i + 1; acc[i] = m.averageAccuracy(i); fgt[i] = m.forgetting(i); }
            b.series(e.getKey() + " accuracy", x, acc).secondarySeries(e.getKey() + " forgetting", x, fgt);
        }
        return b.build();
    }

    /** Final average accuracy per method with ± std whiskers as three series (mean, mean−std, mean+std) across methods. */
    public static JFreeChart comparison(List<MethodComparison.Row> rows) {
        LineFigures.Builder b = LineFigures.builder("Methods: final average accuracy / forgetting (mean over seeds)", "method (order of the table)", "value")
                .integerX(true).markers(true);
        double[] x = new double[rows.size()], acc = new double[rows.size()], fgt = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            x[i] = i + 1;
            acc[i] = MethodComparison.mean(rows.get(i).averageAccuracy());
            fgt[i] = MethodComparison.mean(rows.get(i).forgetting());
        }
        return b.series("average accuracy", x, acc).series("forgetting", x, fgt).build();
    }

    /** L along one direction with the box edge (box ratio = 1) and the ASAM radius α = ρ marked as vertical lines. */
    public static JFreeChart landscapeLine(String title, LossLandscape.Line line, double rho, boolean absScaled) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : line.loss()) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        LineFigures.Builder b = LineFigures.builder(title, "α (step along the direction)", "loss").series("loss", line.alpha(), line.loss());
        double edge = boxEdge(line);
        if (!Double.isNaN(edge)) b.series("clamp box edge", new double[]{-edge, -edge, Double.NaN, edge, edge}, new double[]{lo, hi, Double.NaN, lo, hi});
        if (absScaled) b.series("ASAM radius ρ", new double[]{-rho, -rho, Double.NaN, rho, rho}, new double[]{lo, hi, Double.NaN, lo, hi});
        return b.build();
    }

    /** α where the box ratio crosses 1 (linear interpolation on the positive side), NaN when never. */
    static double boxEdge(LossLandscape.Line line) {
        double[] a = line.alpha(), r = line.boxRatio();
        for (int i = 1; i < a.length; i++)
            if (a[i] > 0 && r[i - 1] <= 1 && r[i] > 1) return a[i - 1] + (1 - r[i - 1]) / (r[i] - r[i - 1]) * (a[i] - a[i - 1]);
        return Double.NaN;
    }

    /** The plane as a heatmap (rows α, columns β). */
    public static JFreeChart landscapeHeatmap(String title, LossLandscape.Plane p) {
        return Heatmap.of(p.loss()).title(title).rowAxis("α").columnAxis("β").valueLabel("loss")
                .rowLabels(labels(p.alpha())).columnLabels(labels(p.beta())).chart();
    }

    private static List<String> labels(double[] v) {
        List<String> out = new ArrayList<>();
        for (double x : v) out.add(String.format(Locale.ROOT, "%.2g", x));
        return out;
    }

    /**
     * Contour lines of the plane (marching squares, {@code levels} levels between min and max loss), the clamp box
     * boundary (box ratio = 1) and, for |w|-scaled directions, the ASAM circle α² + β² = ρ².
     */
    public static JFreeChart landscapeContour(String title, LossLandscape.Plane p, int levels, double rho, boolean absScaled) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] r : p.loss()) for (double v : r) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        LineFigures.Builder b = LineFigures.builder(title, "α", "β");
        for (int k = 1; k <= levels; k++) {
            double level = lo + (hi - lo) * Math.pow((double) k / (levels + 1), 2);     // denser near the minimum
            double[][] xy = Contours.lines(p.alpha(), p.beta(), p.loss(), level);
            if (xy[0].length > 0) b.series(String.format(Locale.ROOT, "loss %.3g", level), xy[0], xy[1]);
        }
        boolean anyBox = false;
        for (double[] r : p.boxRatio()) for (double v : r) anyBox |= !Double.isNaN(v);
        if (anyBox) {
            double[][] xy = Contours.lines(p.alpha(), p.beta(), p.boxRatio(), 1.0);
            if (xy[0].length > 0) b.series("clamp box", xy[0], xy[1]);
        }
        if (absScaled) {
            int n = 97;
            double[] x = new double[n], y = new double[n];
            for (int i = 0; i < n; i++) { x[i] = rho * Math.cos(2 * Math.PI * i / (n - 1)); y[i] = rho * Math.sin(2 * Math.PI * i / (n - 1)); }
            b.series("ASAM radius ρ", x, y);
        }
        return b.build();
    }

    /** Each old task's loss along the line from θ_l (t = 0) to θ_{l+1} (t = 1). */
    public static JFreeChart interpolation(String title, double[][] losses, List<String> tasks) {
        int n = losses[0].length;
        double[] t = LossLandscape.axis(0.75, n);
        for (int i = 0; i < n; i++) t[i] += 0.5;
        LineFigures.Builder b = LineFigures.builder(title, "t  (0: θ after task l, 1: θ after task l+1)", "loss");
        for (int k = 0; k < losses.length; k++) b.series("task " + (k + 1) + ": " + tasks.get(k), t, losses[k]);
        return b.build();
    }

    /** A task × checkpoint matrix (NaN before the task was learnt). */
    public static JFreeChart taskByCheckpoint(String title, String value, double[][] m, List<String> tasks) {
        return Heatmap.of(m).title(title).rowAxis("task").columnAxis("checkpoint (after task)").valueLabel(value)
                .rowLabels(taskLabels(tasks)).columnLabels(taskLabels(tasks)).firstRowAtTop(true).chart();
    }

    public static JFreeChart fisherHistograms(String title, FlatnessViews.Histograms h) {
        int bins = h.edges().length - 1;
        double[] centre = new double[bins];
        for (int i = 0; i < bins; i++) centre[i] = (h.edges()[i] + h.edges()[i + 1]) / 2;
        LineFigures.Builder b = LineFigures.builder(title, "log10 F", "weights");
        h.counts().forEach((name, c) -> b.series(name, centre, c));
        return b.build();
    }

    /** Scatter of F_i against |Δw_i| after the next task (log-log). */
    public static JFreeChart fisherVsShift(String title, FlatnessViews.Scatter s) {
        XYSeries series = new XYSeries("weights", false, true);
        for (int i = 0; i < s.fisher().length; i++)
            if (s.fisher()[i] > 0 && s.shift()[i] > 0) series.add(s.fisher()[i], s.shift()[i]);
        JFreeChart chart = ChartFactory.createScatterPlot(title, "Fisher F_i (task l)", "|Δw_i| after task l+1",
                new XYSeriesCollection(series), PlotOrientation.VERTICAL, false, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setDomainAxis(new LogAxis("Fisher F_i (task l)"));
        plot.setRangeAxis(new LogAxis("|Δw_i| after task l+1"));
        plot.setBackgroundPaint(java.awt.Color.WHITE);
        plot.getRenderer().setSeriesShape(0, new java.awt.geom.Ellipse2D.Double(-1.5, -1.5, 3, 3));
        plot.getRenderer().setSeriesPaint(0, new java.awt.Color(0x1f, 0x77, 0xb4, 90));
        return chart;
    }

    public static JFreeChart shareAtBound(Map<String, double[]> shares) {
        LineFigures.Builder b = LineFigures.builder("Share of shared weights at the clamp bound after the next task", "after task", "share at bound")
                .integerX(true).markers(true);
        shares.forEach((method, s) -> {
            double[] x = new double[s.length];
            for (int i = 0; i < s.length; i++) x[i] = i + 2;
            b.series(method, x, s);
        });
        return b.build();
    }
}
