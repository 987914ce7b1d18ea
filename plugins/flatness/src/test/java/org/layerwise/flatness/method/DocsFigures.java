package org.layerwise.flatness.method;

import org.jfree.chart.JFreeChart;
import org.layerwise.engine.train.LossLandscape;
import org.layerwise.flatness.figure.FlatnessFigures;
import org.layerwise.sdk.FigureExport;
import org.layerwise.sdk.figure.ChartFigureExport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Makes the view figures of docs/continual.md (PNG + PDF in docs/): trains seq, EWC and C&amp;F on split MNIST
 * (seed 0) and exports every flatness view. Run (a few minutes on one thread):
 * <pre>java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp … org.layerwise.flatness.method.DocsFigures sample-data/continual/split-mnist.json docs</pre>
 */
public final class DocsFigures {
    public static void main(String[] args) throws Exception {
        Path sequenceFile = Path.of(args.length > 0 ? args[0] : "sample-data/continual/split-mnist.json");
        Path out = Path.of(args.length > 1 ? args[1] : "docs");
        Files.createDirectories(out);
        TaskSequence seq = TaskSequence.load(sequenceFile);
        List<String> names = seq.tasks().stream().map(TaskData::name).toList();
        ChartFigureExport export = new ChartFigureExport();
        Map<String, AccuracyMatrix> matrices = new LinkedHashMap<>();
        Map<String, double[]> shares = new LinkedHashMap<>();
        for (String method : List.of("seq", "ewc", "cf")) {
            long start = System.nanoTime();
            try (ContinualLearner learner = new ContinualLearner(seq, MethodComparison.configFor(seq, method, List.of()), 0)) {
                matrices.put(method, learner.run(null, null));
                FlatnessViews views = new FlatnessViews(learner, 256);
                shares.put(method, views.shareAtBound());
                save(export, FlatnessFigures.accuracyMatrix("Accuracy a[l][j], " + method, learner.matrix(), names), out, "flatness-accuracy-" + method);
                FlatnessViews.Curvature c = views.curvature(20, 10, 5, null);
                save(export, FlatnessFigures.taskByCheckpoint("Top Hessian eigenvalue, " + method, "λ_max", c.topEigenvalue(), names), out, "flatness-eigenvalue-" + method);
                save(export, FlatnessFigures.taskByCheckpoint("Hutchinson trace, " + method, "tr H", c.trace(), names), out, "flatness-trace-" + method);
                save(export, FlatnessFigures.taskByCheckpoint("Box sharpness (ρ = " + views.rho() + "), " + method, "worst loss increase",
                        c.boxSharpness(), names), out, "flatness-box-sharpness-" + method);
                save(export, FlatnessFigures.interpolation("Interpolation task 2 → 3, " + method, views.interpolation(1, 25, null), names),
                        out, "flatness-interpolation-" + method);
                if (!method.equals("seq")) {
                    LossLandscape.Plane p = views.plane(0, LossLandscape.Directions.FILTER_NORMALISED, 1, 21, 5, null);
                    save(export, FlatnessFigures.landscapeContour("Task 1 loss around its solution (filter-normalised), " + method, p, 8, views.rho(), false),
                            out, "flatness-landscape-contour-" + method);
                    save(export, FlatnessFigures.landscapeHeatmap("Task 1 loss around its solution, " + method, p), out, "flatness-landscape-heatmap-" + method);
                    LossLandscape.Line l = views.line(0, LossLandscape.Directions.ABS_SCALED, 2 * views.rho(), 41, 5, null);
                    save(export, FlatnessFigures.landscapeLine("Task 1 loss along a |w|-scaled direction, " + method, l, views.rho(), true),
                            out, "flatness-landscape-line-" + method);
                    save(export, FlatnessFigures.fisherHistograms("Fisher of task 1 per layer, " + method, views.fisherHistograms(0, 28)),
                            out, "flatness-fisher-histograms-" + method);
                    save(export, FlatnessFigures.fisherVsShift("Fisher (task 1) vs |Δw| after task 2, " + method, views.fisherVsShift(0, 4000, 1)),
                            out, "flatness-fisher-vs-shift-" + method);
                }
                System.out.printf(Locale.ROOT, "%s: views in %.1f s%n", method, (System.nanoTime() - start) / 1e9);
            }
        }
        save(export, FlatnessFigures.metricsOverTime(matrices), out, "flatness-metrics-over-time");
        save(export, FlatnessFigures.shareAtBound(shares), out, "flatness-share-at-bound");
    }

    static void save(ChartFigureExport export, JFreeChart chart, Path dir, String name) throws Exception {
        export.export(chart, FigureExport.Format.PNG, FigureExport.Width.DOUBLE_COLUMN, 0.6, 110, dir.resolve(name + ".png"));
        export.export(chart, FigureExport.Format.PDF, FigureExport.Width.DOUBLE_COLUMN, 0.6, 110, dir.resolve(name + ".pdf"));
    }
}
