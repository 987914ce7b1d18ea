package org.layerwise.modelselect.ui;

import org.jfree.chart.JFreeChart;
import org.layerwise.modelselect.method.CoarseRecall;
import org.layerwise.modelselect.method.FineTuning;
import org.layerwise.modelselect.method.ModelRepository;
import org.layerwise.modelselect.method.PerformanceMatrix;
import org.layerwise.modelselect.method.SelectionComparison;
import org.layerwise.modelselect.method.SelectionRun;
import org.layerwise.modelselect.method.TrendPredictor;
import org.layerwise.sdk.FigureExport;
import org.layerwise.sdk.figure.ChartFigureExport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Exports the docs figures (PNG + PDF) headless: heatmap, dendrogram, proxy scores, halving chart and
 * predicted-vs-actual for one repository and target, by simulation over its curves.
 * Usage: DocsFigures REPOSITORY TARGET THRESHOLD RECALL OUT_DIR PREFIX
 */
public final class DocsFigures {
    public static void main(String[] args) throws Exception {
        Path repoDir = Path.of(args[0]);
        String target = args[1];
        double threshold = Double.parseDouble(args[2]);
        int recall = Integer.parseInt(args[3]);
        Path out = Path.of(args[4]);
        String prefix = args[5];
        Files.createDirectories(out);
        ModelRepository repo = ModelRepository.open(repoDir);
        PerformanceMatrix p = repo.matrix();
        if (p.datasets().contains(target)) p = p.withoutDataset(p.datasetIndex(target));
        Map<String, Double> leep = repo.leep(target);
        CoarseRecall.Result r = CoarseRecall.run(p, threshold, leep, recall);
        SelectionRun.Request req = new SelectionRun.Request(repoDir, target, SelectionRun.Mode.SIMULATE,
                new SelectionComparison.Settings(threshold, recall, 5, TrendPredictor.PAPER_K), FineTuning.Settings.defaults(), 0.01, 17, null);
        SelectionComparison.Result res = SelectionRun.run(req, null).results().get(0);
        ChartFigureExport export = new ChartFigureExport();
        write(export, SelectionFigures.heatmap(repo.matrix()), out, prefix + "-heatmap", 0.6);
        write(export, SelectionFigures.dendrogram(r, p.models()), out, prefix + "-dendrogram", 0.6);
        write(export, SelectionFigures.proxyScores(r, p.models()), out, prefix + "-proxy", 0.6);
        write(export, SelectionFigures.halving(res), out, prefix + "-halving", 0.65);
        write(export, SelectionFigures.predictedVsActual(res), out, prefix + "-predicted", 0.75);
        System.out.println(SelectionRun.table(java.util.List.of(res)));
    }

    private static void write(ChartFigureExport export, JFreeChart chart, Path out, String name, double aspect) throws Exception {
        export.export(chart, FigureExport.Format.PNG, FigureExport.Width.DOUBLE_COLUMN, aspect, 150, out.resolve(name + ".png"));
        export.export(chart, FigureExport.Format.PDF, FigureExport.Width.DOUBLE_COLUMN, aspect, 150, out.resolve(name + ".pdf"));
    }
}
