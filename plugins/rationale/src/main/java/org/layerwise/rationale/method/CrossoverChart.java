package org.layerwise.rationale.method;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.XYPlot;
import org.layerwise.sdk.FigureExport;
import org.layerwise.sdk.figure.ChartFigureExport;
import org.layerwise.sdk.figure.LineFigures;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy against model size (parameters, log scale), direct vs CoT, on the trained tasks (solid) and the held-out
 * tasks: the crossover chart. Uses the cells of one method label (default "base", else the first method).
 */
public final class CrossoverChart {
    private CrossoverChart() {}

    public static JFreeChart build(GridResult r, String methodLabel) {
        List<GridCell> cells = new ArrayList<>();
        for (String model : r.models()) r.cell(model, methodLabel).filter(c -> c.parameters() > 0).ifPresent(cells::add);
        cells.sort(java.util.Comparator.comparingLong(GridCell::parameters));
        double[] x = cells.stream().mapToDouble(GridCell::parameters).toArray();
        LineFigures.Builder b = LineFigures.builder("Direct vs CoT by model size (" + methodLabel + ")", "Parameters",
                "Accuracy").yRange(0, 1).markers(true);
        EvalMode direct = r.modes().contains(EvalMode.DIRECT_LL) ? EvalMode.DIRECT_LL : EvalMode.DIRECT_GEN;
        for (boolean held : new boolean[] {false, true}) {
            String suffix = held ? " (held-out tasks)" : " (trained tasks)";
            if (r.modes().contains(direct))
                b.series("direct" + suffix, x, cells.stream().mapToDouble(c -> c.pooled(held, direct).accuracy()).toArray());
            if (r.modes().contains(EvalMode.COT))
                b.series("CoT" + suffix, x, cells.stream().mapToDouble(c -> c.pooled(held, EvalMode.COT).accuracy()).toArray());
        }
        JFreeChart chart = b.build();
        LogAxis axis = new LogAxis("Parameters");
        axis.setBase(10);
        axis.setSmallestValue(1e3);
        ((XYPlot) chart.getPlot()).setDomainAxis(axis);
        return chart;
    }

    public static JFreeChart build(GridResult r) {
        return build(r, r.methods().contains("base") ? "base" : r.methods().get(0));
    }

    public static void export(GridResult r, Path target, FigureExport.Format format) throws IOException {
        new ChartFigureExport().export(build(r), format, FigureExport.Width.SINGLE_COLUMN, 0.75, 300, target);
    }
}
