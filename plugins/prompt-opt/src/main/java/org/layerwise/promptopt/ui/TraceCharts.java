package org.layerwise.promptopt.ui;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.layerwise.promptopt.method.Candidate;
import org.layerwise.promptopt.method.PromptTrace;
import org.layerwise.sdk.figure.LineFigures;

import java.util.ArrayList;
import java.util.List;

/**
 * The score-per-iteration figure: the best eval score the gate compares against (a line), and each candidate's own
 * eval score as a marker by what happened to it: accepted, rejected, or compressed (taken without the gate).
 */
final class TraceCharts {
    private TraceCharts() {}

    static JFreeChart scores(PromptTrace trace) {
        List<double[]> best = new ArrayList<>(), accepted = new ArrayList<>(), rejected = new ArrayList<>(),
                compressed = new ArrayList<>();
        double bestSoFar = Double.NaN;
        for (Candidate c : trace.candidates()) {
            double x = c.iteration() + (c.action().equals("compress") ? 0.5 : 0);
            if (c.action().equals("root")) {
                accepted.add(new double[] {x, c.evalAfter()});
                bestSoFar = c.evalAfter();
            } else if (c.action().equals("compress")) {
                compressed.add(new double[] {x, c.evalAfter()});
                bestSoFar = c.evalAfter();
            } else if (c.accepted()) {
                accepted.add(new double[] {x, c.evalAfter()});
                bestSoFar = Math.max(bestSoFar, c.evalAfter());
            } else {
                rejected.add(new double[] {x, c.evalAfter()});
            }
            best.add(new double[] {x, bestSoFar});
        }
        String method = trace.setup() == null ? "" : trace.setup().path("method").asText().toUpperCase(java.util.Locale.ROOT);
        LineFigures.Builder b = LineFigures.builder(method + " eval score per iteration", "iteration", "eval accuracy")
                .integerX(true).markers(true).yRange(0, 1);
        b.series("best (gate)", xs(best), ys(best));
        b.series("accepted", xs(accepted), ys(accepted));
        b.series("rejected", xs(rejected), ys(rejected));
        b.series("compressed", xs(compressed), ys(compressed));
        JFreeChart chart = b.build();
        if (chart.getPlot() instanceof XYPlot plot && plot.getRenderer() instanceof XYLineAndShapeRenderer r) {
            // events are points, not a path: only the best score is a line, and it has no markers of its own so
            // that an accepted or tied candidate (on the line) stays visible
            r.setSeriesShapesVisible(0, false);
            r.setDrawSeriesLineAsPath(false);
            for (int i = 1; i < 4; i++) {
                r.setSeriesLinesVisible(i, false);
                r.setSeriesShapesVisible(i, true);
                r.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-5, -5, 10, 10));
            }
            r.setSeriesShape(2, new java.awt.geom.Rectangle2D.Double(-4.5, -4.5, 9, 9));
            r.setSeriesShape(3, new java.awt.geom.Path2D.Double(new java.awt.Polygon(new int[] {0, 6, 0, -6}, new int[] {-6, 0, 6, 0}, 4)));
        }
        return chart;
    }

    private static double[] xs(List<double[]> p) { return p.stream().mapToDouble(a -> a[0]).toArray(); }

    private static double[] ys(List<double[]> p) { return p.stream().mapToDouble(a -> a[1]).toArray(); }
}
