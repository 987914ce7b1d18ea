package org.layerwise.probeedit.method.eval;

import org.jfree.chart.JFreeChart;
import org.layerwise.sdk.FigureExport;
import org.layerwise.sdk.figure.ChartFigureExport;
import org.layerwise.sdk.figure.LineFigures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Score vs number of batched edits per method, from EditBench's markdown tables (rows
 * "| preset | method | edits | ES | GS | LS | Score | ..."): {@code EditScoreFigure OUT_BASE TABLE.md...}
 * writes OUT_BASE.png/.pdf/.csv.
 */
public final class EditScoreFigure {
    public static void main(String[] a) throws Exception {
        Map<String, TreeMap<Integer, Double>> byMethod = new LinkedHashMap<>();
        for (int i = 1; i < a.length; i++) {
            for (String line : Files.readAllLines(Path.of(a[i]))) {
                String[] c = line.split("\\|");
                if (c.length < 8 || !c[3].trim().matches("\\d+")) continue;
                byMethod.computeIfAbsent(c[2].trim().toUpperCase(Locale.ROOT), k -> new TreeMap<>())
                        .put(Integer.parseInt(c[3].trim()), Double.parseDouble(c[7].trim()));
            }
        }
        LineFigures.Builder b = LineFigures.builder("Score vs batched edits (facts-llama)", "log10(number of edits)", "Score");
        for (Map.Entry<String, TreeMap<Integer, Double>> e : byMethod.entrySet()) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            e.getValue().forEach((n, s) -> { xs.add(Math.log10(n)); ys.add(s); });
            b.series(e.getKey(), xs.stream().mapToDouble(Double::doubleValue).toArray(), ys.stream().mapToDouble(Double::doubleValue).toArray());
        }
        JFreeChart chart = b.build();
        ChartFigureExport export = new ChartFigureExport();
        for (FigureExport.Format f : new FigureExport.Format[] {FigureExport.Format.PNG, FigureExport.Format.PDF, FigureExport.Format.CSV})
            export.export(chart, f, FigureExport.Width.SINGLE_COLUMN, 0.75, 200, Path.of(a[0] + "." + ChartFigureExport.extension(f)));
        System.out.println("wrote " + a[0] + ".png/.pdf/.csv");
    }
}
