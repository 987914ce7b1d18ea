package org.layerwise.flatness.cli;

import org.layerwise.engine.jobs.Job;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.engine.train.LossLandscape;
import org.layerwise.flatness.figure.FlatnessFigures;
import org.layerwise.flatness.method.ContinualConfig;
import org.layerwise.flatness.method.ContinualLearner;
import org.layerwise.flatness.method.FlatnessViews;
import org.layerwise.flatness.method.MethodComparison;
import org.layerwise.flatness.method.TaskSequence;
import org.layerwise.sdk.FigureExport;
import org.layerwise.sdk.cli.CliSupport;
import org.layerwise.sdk.figure.ChartFigureExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code layerwise landscape}: trains one method over a sequence (one seed), then computes the loss landscape
 * (2D grid and 1D line) around one task's solution, its Hessian top eigenvalue / trace and box sharpness, and writes
 * the figures (PNG, PDF, CSV) as artifacts of the run.
 */
@Command(name = "landscape", mixinStandardHelpOptions = true,
        description = "Loss landscape, Hessian spectrum and box sharpness around a task's solution after continual training.")
public final class LandscapeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--sequence", required = true, paramLabel = "FILE.json", description = "Task sequence file.")
    Path sequence;

    @Option(names = "--method", defaultValue = "cf", paramLabel = "M", description = "cf, ewc, seq, replay, asam or multitask (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--task", defaultValue = "1", paramLabel = "N", description = "Task (1-based) whose solution and loss are looked at (default: ${DEFAULT-VALUE}).")
    int task;

    @Option(names = "--grid", defaultValue = "21", paramLabel = "N", description = "Points per axis of the 2D grid (default: ${DEFAULT-VALUE}).")
    int grid;

    @Option(names = "--span", paramLabel = "X", description = "Half-width of the grid in α, β (default: 1 for filter-normalised, 2ρ for |w|-scaled).")
    Double span;

    @Option(names = "--directions", defaultValue = "FILTER_NORMALISED", paramLabel = "KIND",
            description = "FILTER_NORMALISED, ABS_SCALED or GAUSSIAN (default: ${DEFAULT-VALUE}).")
    LossLandscape.Directions directions;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Training and direction seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rows", defaultValue = "256", paramLabel = "N", description = "Test examples in the loss (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one training setting (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Also write the figures here.")
    Path out;

    @Mixin
    CliSupport cli;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        return CliSupport.reportingErrors(spec, () -> {
            String m = method.toLowerCase(Locale.ROOT);
            if (!ContinualConfig.METHODS.contains(m)) throw new IllegalArgumentException("unknown method '" + method + "'");
            TaskSequence seq;
            try {
                seq = TaskSequence.load(sequence);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            if (task < 1 || task > seq.tasks().size()) throw new IllegalArgumentException("--task must be in 1.." + seq.tasks().size());
            if (grid < 2) throw new IllegalArgumentException("--grid must be ≥ 2");
            ContinualConfig config = MethodComparison.configFor(seq, m, overrides);
            int t = task - 1;
            Job<String> job = ctx -> {
                try (ContinualLearner learner = new ContinualLearner(seq, config, seed)) {
                    learner.run(ctx, null);
                    FlatnessViews v = new FlatnessViews(learner, rows);
                    boolean abs = directions == LossLandscape.Directions.ABS_SCALED;
                    double s = span != null ? span : abs ? 2 * v.rho() : 1;
                    long start = System.nanoTime();
                    LossLandscape.Plane plane = v.plane(t, directions, s, grid, seed + 5, ctx);
                    double planeSeconds = (System.nanoTime() - start) / 1e9;
                    LossLandscape.Line line = v.line(t, directions, s, 2 * grid - 1, seed + 5, ctx);
                    ctx.metric("landscape_seconds", grid, planeSeconds);
                    for (int i = 0; i < line.alpha().length; i++) ctx.metric("line_loss", i, line.loss()[i]);
                    FlatnessViews.Curvature c = v.curvature(20, 10, 5, ctx);
                    int last = v.checkpoints() - 1;
                    ctx.metric("top_eigenvalue", t, c.topEigenvalue()[t][t]);
                    ctx.metric("trace", t, c.trace()[t][t]);
                    ctx.metric("box_sharpness", t, c.boxSharpness()[t][t]);
                    ctx.metric("top_eigenvalue_final", t, c.topEigenvalue()[t][last]);
                    Path dir = out != null ? out : Files.createTempDirectory("landscape");
                    Files.createDirectories(dir);
                    ChartFigureExport export = new ChartFigureExport();
                    Map<String, org.jfree.chart.JFreeChart> charts = new LinkedHashMap<>();
                    charts.put("landscape-contour", FlatnessFigures.landscapeContour("Task " + task + " loss, " + m, plane, 8, v.rho(), abs));
                    charts.put("landscape-heatmap", FlatnessFigures.landscapeHeatmap("Task " + task + " loss, " + m, plane));
                    charts.put("landscape-line", FlatnessFigures.landscapeLine("Task " + task + " loss along one direction, " + m, line, v.rho(), abs));
                    List<String> names = seq.tasks().stream().map(x -> x.name()).toList();
                    charts.put("eigenvalue", FlatnessFigures.taskByCheckpoint("Top Hessian eigenvalue", "λ_max", c.topEigenvalue(), names));
                    charts.put("box-sharpness", FlatnessFigures.taskByCheckpoint("Box sharpness", "worst loss increase", c.boxSharpness(), names));
                    for (Map.Entry<String, org.jfree.chart.JFreeChart> e : charts.entrySet())
                        for (FigureExport.Format f : List.of(FigureExport.Format.PNG, FigureExport.Format.PDF, FigureExport.Format.CSV)) {
                            Path file = dir.resolve(e.getKey() + "." + ChartFigureExport.extension(f));
                            export.export(e.getValue(), f, FigureExport.Width.DOUBLE_COLUMN, 0.6, 110, file);
                            ctx.artifact(file.getFileName().toString(), file);
                        }
                    return String.format(Locale.ROOT, "task %d (%s) after %s: %d×%d landscape in %.1f s; λ_max %.4g, trace %.4g, box sharpness %.4g at its own checkpoint; figures in %s",
                            task, seq.tasks().get(t).name(), m, grid, grid, planeSeconds, c.topEigenvalue()[t][t], c.trace()[t][t], c.boxSharpness()[t][t], dir);
                }
            };
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("sequence", sequence.toString());
            params.put("method", m);
            params.put("task", task);
            params.put("grid", grid);
            params.put("directions", directions.name());
            params.put("seed", seed);
            params.put("config", config.json());
            try (SqliteRunStore store = cli.openRunStore(); WorkerPool pool = new WorkerPool(store, 1)) {
                String r = CliSupport.runInForeground(pool, JobSpec.recorded("flatness", "landscape", "Landscape of task " + task + " (" + m + ")", params, null), job, err);
                o.println(r);
                o.flush();
                return 0;
            } catch (JobCancelledException e) {
                err.println("landscape: cancelled");
                err.flush();
                return 130;
            }
        });
    }
}
