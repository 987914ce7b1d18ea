package org.layerwise.rationale.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.data.nlu.NluCorpus;
import org.layerwise.engine.data.nlu.NluRecord;
import org.layerwise.engine.data.nlu.NluVocabulary;
import org.layerwise.engine.io.AtomicFiles;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.llm.LocalBackend;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RandomWeights;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.tokenizer.HfTokenizer;
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
 * Builds the sample NLU decoders: random init, base training on both views of the corpus's training split, saved
 * in float16 under {@code sample-data/models/<name>} with the corpus tokenizer, then measured on each task's
 * test split (direct by log-likelihood and CoT by generation) for the model card.
 */
public final class NluSampleModels {
    private static final JsonMapper JSON = new JsonMapper();

    /** What building one model gave. */
    public record Report(NluModelRecipe recipe, long parameters, double seconds, double finalLoss,
                         Map<String, Map<EvalMode, Score>> scores) {}

    private NluSampleModels() {}

    public static Report build(Path sampleData, NluModelRecipe recipe, int evalPerTask, JobContext ctx) throws Exception {
        Path corpusDir = sampleData.resolve("nlu");
        NluCorpus corpus = NluCorpus.read(corpusDir);
        Path out = sampleData.resolve("models").resolve(recipe.name());
        Path float32 = Files.createTempDirectory("layerwise-" + recipe.name());
        long start = System.nanoTime();
        long parameters;
        TrainingResult result;
        try {
            try (NDManager m = NDManager.newBaseManager()) {
                TransformerModel model;
                try (NDManager init = m.newSubManager()) {
                    Map<String, NDArray> weights = RandomWeights.create(recipe.spec(), init, recipe.seed(), 0.02f);
                    HfTokenizer tokenizer = HfTokenizer.load(corpusDir);
                    ObjectNode config = JSON.createObjectNode();
                    config.put("bos_token_id", tokenizer.encode(NluVocabulary.BOS).ids()[0]);
                    config.put("eos_token_id", tokenizer.encode(NluVocabulary.EOS).ids()[0]);
                    model = TransformerModel.create(recipe.spec(), weights, tokenizer,
                            new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32), config, corpusDir);
                }
                try (model) {
                    parameters = model.parameterCount();
                    List<TrainingExamples.Example> examples = TrainingExamples.bothViews(corpus.all("train", false),
                            TrainingExamples.Codec.of(model), NluModelRecipe.MAX_POSITIONS);
                    result = new FineTuning(recipe.steps(), recipe.batchSize(), recipe.peakRate(), recipe.warmup(), recipe.seed())
                            .run(model, examples, ctx);
                    model.save(float32);
                }
            }
            try (TransformerModel half = TransformerModel.load(float32,
                    new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT16))) {
                half.save(out);
            }
        } finally {
            AtomicFiles.deleteTree(float32);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Map<EvalMode, Score>> scores;
        try (TransformerModel saved = TransformerModel.load(out, new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32))) {
            scores = scorePerTask(new LocalBackend(saved), corpus, evalPerTask, ctx);
        }
        List<Double> losses = result.losses();
        return new Report(recipe, parameters, seconds, losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1), scores);
    }

    /** Accuracy per task (first {@code perTask} test items) in direct-ll, direct-ll-norm and cot. */
    public static Map<String, Map<EvalMode, Score>> scorePerTask(LocalBackend backend, NluCorpus corpus, int perTask, JobContext ctx)
            throws Exception {
        NluEvaluation eval = new NluEvaluation(backend, EnumSet.of(EvalMode.DIRECT_LL, EvalMode.DIRECT_LL_NORM, EvalMode.COT));
        Map<String, Map<EvalMode, Score>> out = new LinkedHashMap<>();
        for (String task : corpus.tasks().keySet()) {
            List<NluRecord> test = corpus.split(task, "test");
            List<ItemResult> results = eval.run(test.subList(0, Math.min(perTask, test.size())), ctx);
            Map<EvalMode, Score> s = new LinkedHashMap<>();
            for (EvalMode m : List.of(EvalMode.DIRECT_LL, EvalMode.DIRECT_LL_NORM, EvalMode.COT)) s.put(m, Score.of(results, m));
            out.put(task, s);
        }
        return out;
    }

    /** MODEL_CARD.md beside the weights. */
    public static void writeCard(Path sampleData, Report r, String command) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        var spec = r.recipe().spec();
        sb.append("# ").append(r.recipe().name()).append("\n\n");
        sb.append(String.format(Locale.ROOT, "A decoder for the rationale workspace: llama preset, %d layers, d=%d, %d heads, "
                        + "MLP %d, %d positions, word-level vocabulary of %d (sample-data/nlu/tokenizer.json), %,d parameters, "
                        + "stored in float16.%n%n", spec.layers(), spec.dModel(), spec.heads(), spec.intermediateSize(),
                spec.maxPositions(), spec.vocabSize(), r.parameters()));
        sb.append("## How it was made\n\n");
        sb.append(String.format(Locale.ROOT, "Random init (seed %d, std 0.02), then %d AdamW steps of %d examples (peak rate %.1e, "
                        + "%d warm-up steps, cosine to a tenth, clip 1) on both views of each training item of the four trained tasks "
                        + "(direct prompt → label; CoT prompt → rationale ending in \"therefore , the answer is : <label>\"), loss "
                        + "on target tokens only, by Layerwise's own trainer on one CPU thread: %.0f s, final loss %.4f.%n%n"
                        + "Rebuild: `%s`%n%n", r.recipe().seed(), r.recipe().steps(), r.recipe().batchSize(), r.recipe().peakRate(),
                r.recipe().warmup(), r.seconds(), r.finalLoss(), command));
        sb.append("## Accuracy on the test splits\n\n");
        sb.append("Direct by label log-likelihood (`acc`, `acc_norm` per character) and CoT by greedy generation with the answer "
                + "extracted after the answer phrase (format errors count as wrong). Held-out tasks were never trained on.\n\n");
        sb.append("| task | items | direct acc | direct acc_norm | CoT acc | CoT format errors |\n|---|---|---|---|---|---|\n");
        r.scores().forEach((task, s) -> sb.append(String.format(Locale.ROOT, "| %s%s | %d | %.1f%% | %.1f%% | %.1f%% | %.1f%% |%n",
                task, org.layerwise.engine.data.nlu.NluTasks.HELD_OUT.contains(task) ? " (held out)" : "",
                s.get(EvalMode.DIRECT_LL).items(), 100 * s.get(EvalMode.DIRECT_LL).accuracy(),
                100 * s.get(EvalMode.DIRECT_LL_NORM).accuracy(), 100 * s.get(EvalMode.COT).accuracy(),
                100 * s.get(EvalMode.COT).formatErrorRate())));
        sb.append("\nLicence: Apache-2.0 (generated data, trained here).\n");
        Path dir = sampleData.resolve("models").resolve(r.recipe().name());
        AtomicFiles.writeBytes(dir.resolve("MODEL_CARD.md"), sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ObjectNode t = JSON.createObjectNode();
        t.put("name", r.recipe().name()).put("parameters", r.parameters()).put("seconds", r.seconds()).put("final_loss", r.finalLoss())
                .put("steps", r.recipe().steps()).put("batch", r.recipe().batchSize()).put("seed", r.recipe().seed());
        ObjectNode acc = t.putObject("accuracy");
        r.scores().forEach((task, s) -> {
            ObjectNode o = acc.putObject(task);
            s.forEach((mode, sc) -> o.put(mode.id(), sc.accuracy()));
            o.put("cot_format_errors", s.get(EvalMode.COT).formatErrorRate());
        });
        AtomicFiles.writeBytes(dir.resolve("TRAINING.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(t));
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("card-from-grid")) {
            cardFromGrid(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Path sampleData = Path.of(args.length > 0 ? args[0] : "sample-data");
        String only = System.getProperty("layerwise.nlu.models", "");
        int steps = Integer.getInteger("layerwise.nlu.steps", 0);
        int perTask = Integer.getInteger("layerwise.nlu.evalPerTask", 50);
        org.layerwise.engine.data.nlu.NluCorpusBuild.build(sampleData, System.out);
        int vocab;
        try (HfTokenizer t = HfTokenizer.load(sampleData.resolve("nlu"))) { vocab = t.vocabularySize(); }
        List<Report> reports = new ArrayList<>();
        for (NluModelRecipe recipe : NluModelRecipe.standard(vocab)) {
            if (!only.isEmpty() && !List.of(only.split(",")).contains(recipe.name())) continue;
            NluModelRecipe r = steps > 0 ? recipe.withSteps(steps) : recipe;
            Report report = build(sampleData, r, perTask, new PrintingContext(r.name(), r.steps()));
            writeCard(sampleData, report, "./layerwise rationale build-samples --models " + r.name());
            System.out.printf(Locale.ROOT, "%s: %,d parameters, %.0f s, loss %.4f%n", r.name(), report.parameters(),
                    report.seconds(), report.finalLoss());
            report.scores().forEach((task, s) -> System.out.printf(Locale.ROOT, "  %-18s direct %.2f  norm %.2f  cot %.2f (format errors %.2f)%n",
                    task, s.get(EvalMode.DIRECT_LL).accuracy(), s.get(EvalMode.DIRECT_LL_NORM).accuracy(),
                    s.get(EvalMode.COT).accuracy(), s.get(EvalMode.COT).formatErrorRate()));
            reports.add(report);
        }
    }

    /**
     * Writes a model's card from a grid run's "base" cell instead of a separate evaluation (same modes, the grid's
     * items per task): {@code cardFromGrid RESULTS.json SAMPLE_DATA NAME SECONDS FINAL_LOSS}.
     */
    public static void cardFromGrid(String[] args) throws Exception {
        GridResult r = GridResult.read(Path.of(args[0]));
        Path sampleData = Path.of(args[1]);
        String name = args[2];
        GridCell base = r.cell(name, "base").orElseThrow(() -> new IllegalArgumentException(args[0] + " has no base cell for " + name));
        int vocab;
        try (HfTokenizer t = HfTokenizer.load(sampleData.resolve("nlu"))) { vocab = t.vocabularySize(); }
        NluModelRecipe recipe = NluModelRecipe.standard(vocab).stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        Map<String, Map<EvalMode, Score>> scores = new LinkedHashMap<>();
        for (String task : base.tasks()) {
            Map<EvalMode, Score> s = new LinkedHashMap<>();
            for (EvalMode m : List.of(EvalMode.DIRECT_LL, EvalMode.DIRECT_LL_NORM, EvalMode.COT)) s.put(m, base.score(task, m));
            scores.put(task, s);
        }
        writeCard(sampleData, new Report(recipe, base.parameters(), Double.parseDouble(args[3]), Double.parseDouble(args[4]), scores),
                "./layerwise rationale build-samples --models " + name);
    }

    /** Prints a loss line every tenth of a run. */
    public static final class PrintingContext implements JobContext {
        private final String name;
        private final long every;
        private final long start = System.nanoTime();

        public PrintingContext(String name, long steps) {
            this.name = name;
            this.every = Math.max(1, steps / 10);
        }

        @Override public void progress(double fraction, String message) {}
        @Override public void metric(String metric, long step, double value) {
            if (metric.equals("loss") && (step % every == 0 || step == 1))
                System.out.printf(Locale.ROOT, "%s step %d loss %.4f (%.0f s)%n", name, step, value, (System.nanoTime() - start) / 1e9);
        }
        @Override public void log(String line) {}
        @Override public void trace(String kind, String json) {}
        @Override public Path artifact(String artifactName, Path file) { return file; }
        @Override public boolean isCancelled() { return false; }
        @Override public long runId() { return -1; }
    }
}
