package org.layerwise.app.cli;

import org.layerwise.sdk.cli.CliSupport;

import org.jfree.chart.JFreeChart;
import org.layerwise.engine.runs.MetricPoint;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.sdk.FigureExport;
import org.layerwise.sdk.figure.ChartFigureExport;
import org.layerwise.sdk.figure.RunFigures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code layerwise runs figure ID [ID2] --out FILE}: a run's metric curves as a paper figure, as in the GUI. */
@Command(name = "figure", mixinStandardHelpOptions = true,
        description = "Export a run's metric curves (or two runs' side by side) as PDF, SVG, PNG or CSV.")
final class RunFigureCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CliSupport cli;

    @Parameters(arity = "1..2", paramLabel = "ID", description = "One run, or two to compare.")
    List<Long> ids;

    @Option(names = {"-m", "--metric"}, paramLabel = "NAME", description = "Only these metrics (repeatable; default: all).")
    List<String> metrics = new ArrayList<>();

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
            description = "Output file; the format follows the extension (.pdf, .svg, .png, .csv) unless --format is given.")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", description = "pdf, svg, png or csv.")
    String format;

    @Option(names = "--width", paramLabel = "WIDTH", defaultValue = "single",
            description = "single (3.5 in) or double (7 in) column (default: ${DEFAULT-VALUE}).")
    String width;

    @Option(names = "--dpi", defaultValue = "300", description = "PNG resolution (default: ${DEFAULT-VALUE}).")
    int dpi;

    @Option(names = "--aspect", defaultValue = "0.75", description = "Height / width (default: ${DEFAULT-VALUE}).")
    double aspect;

    @Override
    public Integer call() throws Exception {
        return CliSupport.reportingErrors(spec, () -> {
            FigureExport.Format f = parseFormat();
            FigureExport.Width w = switch (width.toLowerCase(Locale.ROOT)) {
                case "single" -> FigureExport.Width.SINGLE_COLUMN;
                case "double" -> FigureExport.Width.DOUBLE_COLUMN;
                default -> throw new IllegalArgumentException("--width must be single or double, not " + width);
            };
            try (SqliteRunStore store = cli.openRunStore()) {
                List<RunRecord> runs = new ArrayList<>();
                Map<Long, List<MetricPoint>> points = new LinkedHashMap<>();
                for (long id : ids) {
                    RunRecord run = store.get(id).orElseThrow(() -> new IllegalArgumentException(
                            "no run " + id + " in " + store.dataDir() + " (see: layerwise runs list)"));
                    runs.add(run);
                    points.put(id, store.metrics(id));
                }
                if (points.values().stream().allMatch(List::isEmpty)) {
                    throw new IllegalArgumentException("run(s) " + ids + " recorded no metrics: nothing to draw");
                }
                JFreeChart chart = RunFigures.metrics(runs, points, metrics);
                new ChartFigureExport().export(chart, f, w, aspect, dpi, out);
                spec.commandLine().getOut().println("wrote " + out.toAbsolutePath());
            }
            return 0;
        });
    }

    private FigureExport.Format parseFormat() {
        String name = format != null ? format : extensionOf(out);
        try {
            return FigureExport.Format.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown figure format '" + name + "': use pdf, svg, png or csv");
        }
    }

    private static String extensionOf(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1);
    }
}
