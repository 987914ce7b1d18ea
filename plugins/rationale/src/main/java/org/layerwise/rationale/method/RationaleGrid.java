package org.layerwise.rationale.method;

import org.layerwise.engine.data.nlu.NluCorpus;
import org.layerwise.engine.data.nlu.NluRecord;
import org.layerwise.engine.jobs.Job;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.llm.HttpBackend;
import org.layerwise.engine.llm.LocalBackend;
import org.layerwise.engine.llm.TextBackend;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.train.TrainingResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The NLURC experiment: for each model, the model as it is ("base") and the model fine-tuned with each training
 * method, each evaluated on the test items of every task (trained and held out) in every mode. Fine-tuning starts
 * from the saved weights each time, so the methods are compared from the same start with the same data order and
 * budget. Results go to the run through the job context: per cell a trace event and accuracy metrics, at the end
 * the whole result as the {@value GridResult#ARTIFACT} artifact with the comparison table and the crossover chart.
 */
public final class RationaleGrid {
    /** What to run. {@code alignWeights} holds one w per align run (the sweep); {@code perTask} test items per task. */
    public record Request(Path corpus, List<Path> models, List<String> servers, String serverModel, List<TrainingMethod> methods,
                          List<Double> alignWeights, boolean includeBase, FineTuning fineTuning, int perTask, List<EvalMode> modes) {
        public Request(Path corpus, List<Path> models, List<TrainingMethod> methods, List<Double> alignWeights,
                       boolean includeBase, FineTuning fineTuning, int perTask, List<EvalMode> modes) {
            this(corpus, models, List.of(), null, methods, alignWeights, includeBase, fineTuning, perTask, modes);
        }

        public Request {
            servers = servers == null ? List.of() : List.copyOf(servers);
            if (models.isEmpty() && servers.isEmpty()) throw new IllegalArgumentException("give at least one model folder or server URL");
            for (Path m : models)
                if (!Files.isRegularFile(m.resolve("config.json")))
                    throw new IllegalArgumentException("model folder " + m + " has no config.json");
            if (alignWeights.isEmpty()) alignWeights = List.of(0.5);
            methods = List.copyOf(methods);
            modes = List.copyOf(modes);
        }

        public Map<String, Object> parameters() {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("corpus", corpus.toString());
            p.put("models", models.stream().map(Path::toString).toList());
            p.put("servers", servers);      // URLs only: keys stay in the environment
            if (serverModel != null) p.put("server_model", serverModel);
            p.put("methods", methods.stream().map(TrainingMethod::id).toList());
            p.put("align_w", alignWeights);
            p.put("base", includeBase);
            p.put("steps", fineTuning.steps());
            p.put("batch", fineTuning.batchSize());
            p.put("lr", fineTuning.peakRate());
            p.put("seed", fineTuning.seed());
            p.put("per_task", perTask);
            p.put("modes", modes.stream().map(EvalMode::id).toList());
            return p;
        }
    }

    private RationaleGrid() {}

    /** The test items evaluated: the first {@code perTask} of each task's test split. */
    public static List<NluRecord> testItems(NluCorpus corpus, int perTask) {
        List<NluRecord> out = new ArrayList<>();
        for (String task : corpus.tasks().keySet()) {
            List<NluRecord> t = corpus.split(task, "test");
            out.addAll(t.subList(0, Math.min(perTask, t.size())));
        }
        return out;
    }

    public static Job<GridResult> job(Request request) {
        return ctx -> run(request, ctx);
    }

    public static GridResult run(Request request, JobContext ctx) throws Exception {
        NluCorpus corpus = NluCorpus.read(request.corpus());
        List<NluRecord> test = testItems(corpus, request.perTask());
        List<NluRecord> train = corpus.all("train", false);
        List<GridCell> cells = new ArrayList<>();
        record Plan(Path model, String method, double w) {}
        List<Plan> plans = new ArrayList<>();
        for (Path m : request.models()) {
            if (request.includeBase()) plans.add(new Plan(m, "base", Double.NaN));
            for (TrainingMethod tm : request.methods()) {
                if (tm == TrainingMethod.ALIGN) for (double w : request.alignWeights()) plans.add(new Plan(m, tm.id(), w));
                else plans.add(new Plan(m, tm.id(), Double.NaN));
            }
        }
        for (int i = 0; i < plans.size(); i++) {
            Plan plan = plans.get(i);
            ctx.checkCancelled();
            String name = plan.model().getFileName().toString();
            String cellName = name + "/" + plan.method() + (Double.isNaN(plan.w()) ? "" : "@" + plan.w());
            JobContext cellCtx = new CellContext(ctx, cellName, (double) i / plans.size(), 1.0 / plans.size());
            GridCell cell;
            try (TransformerModel model = TransformerModel.load(plan.model(),
                    new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32))) {
                List<Double> losses = List.of();
                double seconds = 0;
                if (!plan.method().equals("base")) {
                    TrainingMethod tm = TrainingMethod.parse(plan.method());
                    var examples = TrainingExamples.build(train, tm, Double.isNaN(plan.w()) ? 0.5 : plan.w(),
                            TrainingExamples.Codec.of(model), model.spec().maxPositions());
                    long start = System.nanoTime();
                    TrainingResult r = request.fineTuning().run(model, examples, cellCtx);
                    seconds = (System.nanoTime() - start) / 1e9;
                    losses = r.losses();
                }
                TextBackend backend = new LocalBackend(model);
                List<ItemResult> items = new NluEvaluation(backend, EnumSet.copyOf(request.modes())).run(test, cellCtx);
                cell = new GridCell(name, model.parameterCount(), plan.method(), plan.w(), losses, seconds, items);
            }
            cells.add(cell);
            report(ctx, cell, request.modes(), i);
        }
        for (String url : request.servers()) {
            ctx.checkCancelled();
            try (TextBackend backend = new HttpBackend(HttpBackend.Settings.fromEnvironment(System.getenv(), url, request.serverModel()))) {
                EnumSet<EvalMode> modes = EnumSet.copyOf(request.modes());
                if (!backend.supportsLogLikelihood()) {
                    modes.removeAll(List.of(EvalMode.DIRECT_LL, EvalMode.DIRECT_LL_NORM));
                    if (!modes.contains(EvalMode.DIRECT_GEN)) modes.add(EvalMode.DIRECT_GEN);
                    ctx.log(backend.name() + " scores no log-likelihoods: direct mode by generation (direct-gen) instead");
                }
                JobContext cellCtx = new CellContext(ctx, backend.name(), 0.9, 0.1);
                List<ItemResult> items = new NluEvaluation(backend, modes).run(test, cellCtx);
                GridCell cell = new GridCell(backend.name(), 0, "base", Double.NaN, List.of(), 0, items);
                cells.add(cell);
                report(ctx, cell, List.copyOf(modes), cells.size() - 1);
                ctx.log(backend.name() + ": " + backend.usage());
            }
        }
        List<EvalMode> modesSeen = new ArrayList<>(request.modes());
        if (!request.servers().isEmpty() && !modesSeen.contains(EvalMode.DIRECT_GEN)) modesSeen.add(EvalMode.DIRECT_GEN);
        GridResult result = new GridResult(request.corpus().toString(), modesSeen, cells);
        Path dir = Files.createTempDirectory("layerwise-rationale");
        Path json = dir.resolve(GridResult.ARTIFACT);
        result.write(json);
        ctx.artifact(GridResult.ARTIFACT, json);
        Path table = dir.resolve("rationale-table.md");
        Files.writeString(table, ComparisonTable.markdown(result));
        ctx.artifact("rationale-table.md", table);
        try {
            Path chart = dir.resolve("rationale-crossover.png");
            CrossoverChart.export(result, chart, org.layerwise.sdk.FigureExport.Format.PNG);
            ctx.artifact("rationale-crossover.png", chart);
        } catch (RuntimeException | java.io.IOException | LinkageError e) {
            ctx.log("crossover chart not written: " + e.getMessage());
        }
        ctx.progress(1, "done: " + cells.size() + " cells");
        return result;
    }

    private static void report(JobContext ctx, GridCell cell, List<EvalMode> modes, int index) {
        StringBuilder json = new StringBuilder("{\"model\":\"" + cell.model() + "\",\"method\":\"" + cell.label() + "\"");
        StringBuilder line = new StringBuilder(cell.model() + " " + cell.label() + ":");
        for (EvalMode m : modes) {
            for (boolean held : new boolean[] {false, true}) {
                Score s = cell.pooled(held, m);
                String key = m.id() + (held ? "_heldout" : "_trained");
                ctx.metric("acc/" + cell.model() + "/" + cell.label() + "/" + key, index, s.accuracy());
                json.append(String.format(Locale.ROOT, ",\"%s\":%.4f", key, s.accuracy()));
                if (m == EvalMode.COT || m == EvalMode.DIRECT_GEN)
                    json.append(String.format(Locale.ROOT, ",\"%s_format_errors\":%.4f", key, s.formatErrorRate()));
                line.append(String.format(Locale.ROOT, " %s %.2f", key, s.accuracy()));
            }
        }
        ctx.trace("cell", json.append('}').toString());
        ctx.log(line.toString());
    }

    /** Prefixes a cell's training metrics with its name and maps its progress into the cell's share of the run. */
    private record CellContext(JobContext parent, String name, double from, double share) implements JobContext {
        @Override public void progress(double fraction, String message) {
            parent.progress(from + share * Math.max(0, Math.min(1, fraction)), name + ": " + message);
        }
        @Override public void metric(String metric, long step, double value) {
            if (metric.equals("loss") || metric.equals("skipped_updates")) parent.metric(metric + "/" + name, step, value);
        }
        @Override public void log(String line) { parent.log(name + ": " + line); }
        @Override public void trace(String kind, String json) { parent.trace(kind, json); }
        @Override public Path artifact(String artifactName, Path file) { return parent.artifact(artifactName, file); }
        @Override public boolean isCancelled() { return parent.isCancelled(); }
        @Override public long runId() { return parent.runId(); }
    }
}
