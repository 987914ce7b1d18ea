package org.layerwise.probeedit.method.eval;

import org.jfree.chart.JFreeChart;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.probeedit.method.edit.EditHparams;
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

/**
 * The table of docs/editing.md: each preset at each batch size on a CounterFact file (the first N records
 * edited as one batch, then scored). Size 1 is the mean over the first {@code singles} records, each edited
 * alone on a fresh model. Usage:
 * {@code EditBench MODEL RECORDS DATA_DIR CORPUS OUT.md FIGURE_BASE SIZES PRESET[:key=json]...}; or
 * {@code EditBench --plot FIGURE_BASE RUN.csv...} to draw the figure of several runs' CSVs (series,x,y) together.
 */
public final class EditBench {
    public static void main(String[] a) throws Exception {
        if (a[0].equals("--plot")) {
            Map<String, List<double[]>> points = new LinkedHashMap<>();
            for (int i = 2; i < a.length; i++) {
                for (String line : Files.readAllLines(Path.of(a[i])).subList(1, Files.readAllLines(Path.of(a[i])).size())) {
                    String[] c = line.split(",");
                    points.computeIfAbsent(c[0], k -> new ArrayList<>()).add(new double[] {Double.parseDouble(c[1]), Double.parseDouble(c[2])});
                }
            }
            Map<String, double[][]> series = new LinkedHashMap<>();
            points.forEach((k, v) -> {
                v.sort(java.util.Comparator.comparingDouble(q -> q[0]));
                series.put(k, new double[][] {v.stream().mapToDouble(q -> q[0]).toArray(), v.stream().mapToDouble(q -> q[1]).toArray()});
            });
            plot(a[1], series);
            return;
        }
        Path model = Path.of(a[0]), records = Path.of(a[1]), data = Path.of(a[2]), corpus = Path.of(a[3]), out = Path.of(a[4]);
        String figure = a[5];
        int[] sizes = java.util.Arrays.stream(a[6].split(",")).mapToInt(Integer::parseInt).toArray();
        int singles = Integer.getInteger("bench.singles", 10);
        List<String[]> rows = new ArrayList<>();
        Map<String, double[]> scoreBySize = new LinkedHashMap<>();
        List<EvalRecord> all = EvalRecord.read(records);
        for (int p = 7; p < a.length; p++) {
            String[] spec = a[p].split(":", 2);
            EditHparams hp = EditHparams.preset(spec[0]);
            if (spec.length > 1) for (String kv : spec[1].split(";")) {
                String[] x = kv.split("=", 2);
                hp = hp.with(x[0], x[1]);
            }
            double[] scores = new double[sizes.length];
            for (int si = 0; si < sizes.length; si++) {
                int n = sizes[si];
                List<EditEvaluation.RecordResult> results = new ArrayList<>();
                double seconds = 0;
                String z = "";
                if (n == 1) {
                    for (int i = 0; i < singles; i++) {
                        Path one = Files.createTempFile("one-record", ".json");
                        Files.writeString(one, "[" + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                                new com.fasterxml.jackson.databind.ObjectMapper().readTree(records.toFile()).get(i)) + "]");
                        EditExperiment.Result r = EditExperiment.run(new EditExperiment.Request(model, one, hp, spec[0], 1, false, data, corpus,
                                100000, null), new Quiet(), List.of());
                        results.addAll(r.records());
                        seconds += r.editSeconds() / singles;
                        Files.delete(one);
                    }
                } else {
                    EditExperiment.Result r = EditExperiment.run(new EditExperiment.Request(model, records, hp, spec[0], n, false, data, corpus,
                            100000, null), new Quiet(), List.of());
                    results = r.records();
                    seconds = r.editSeconds();
                    StringBuilder zs = new StringBuilder();
                    r.zError().forEach((k, v) -> zs.append(String.format(Locale.ROOT, "%s %.2f→%.2f ", k, v[0], v[1])));
                    z = zs.toString().trim();
                }
                EditEvaluation.Summary s = EditEvaluation.Summary.of(results);
                scores[si] = s.score();
                String[] row = {a[p], hp.method(), String.valueOf(n), f(s.es()), f(s.gs()), f(s.ls()), f(s.score()), f(s.em()),
                        String.format(Locale.ROOT, "%.1f", seconds), z};
                rows.add(row);
                System.out.println(String.join(" | ", row));
            }
            scoreBySize.put(hp.method().toUpperCase(Locale.ROOT), scores);
        }
        StringBuilder md = new StringBuilder("| preset | method | edits | ES | GS | LS | Score | EM | edit time (s) | z error (mean ‖R‖ before→after) |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (String[] r : rows) md.append("| ").append(String.join(" | ", r)).append(" |\n");
        Files.writeString(out, md.toString());
        double[] lx = java.util.Arrays.stream(sizes).asDoubleStream().map(Math::log10).toArray();
        Map<String, double[][]> series = new LinkedHashMap<>();
        scoreBySize.forEach((k, v) -> series.put(k, new double[][] {lx, v}));
        plot(figure, series);
        System.out.println("wrote " + out);
    }

    /** The Score-vs-edits figure (x = log10 of the number of edits) as PNG, PDF and CSV. */
    private static void plot(String figure, Map<String, double[][]> series) throws Exception {
        LineFigures.Builder b = LineFigures.builder("Score vs number of batched edits (facts-llama)", "edits (log10)", "Score");
        series.forEach((k, v) -> b.series(k, v[0], v[1]));
        JFreeChart chart = b.build();
        ChartFigureExport export = new ChartFigureExport();
        export.export(chart, FigureExport.Format.PNG, FigureExport.Width.SINGLE_COLUMN, 0.75, 200, Path.of(figure + ".png"));
        export.export(chart, FigureExport.Format.PDF, FigureExport.Width.SINGLE_COLUMN, 0.75, 200, Path.of(figure + ".pdf"));
        export.export(chart, FigureExport.Format.CSV, FigureExport.Width.SINGLE_COLUMN, 0.75, 200, Path.of(figure + ".csv"));
    }

    private static String f(double d) { return String.format(Locale.ROOT, "%.1f", d); }

    /** A job context that only prints log lines. */
    static final class Quiet implements JobContext {
        @Override public void progress(double fraction, String message) {}
        @Override public void metric(String name, long step, double value) {}
        @Override public void log(String line) { if (Boolean.getBoolean("bench.verbose")) System.out.println(line); }
        @Override public void trace(String kind, String json) {}
        @Override public Path artifact(String name, Path file) { return file; }
        @Override public boolean isCancelled() { return false; }
        @Override public long runId() { return -1; }
    }
}
