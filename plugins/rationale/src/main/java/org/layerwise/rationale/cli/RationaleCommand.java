package org.layerwise.rationale.cli;

import org.layerwise.engine.data.nlu.NluCorpusBuild;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.rationale.method.ComparisonTable;
import org.layerwise.rationale.method.CrossoverChart;
import org.layerwise.rationale.method.EvalMode;
import org.layerwise.rationale.method.FineTuning;
import org.layerwise.rationale.method.GridResult;
import org.layerwise.rationale.method.NluModelRecipe;
import org.layerwise.rationale.method.NluSampleModels;
import org.layerwise.rationale.method.RationaleGrid;
import org.layerwise.rationale.method.TrainingMethod;
import org.layerwise.sdk.FigureExport;
import org.layerwise.sdk.cli.CliSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code layerwise rationale}: NLURC experiments. {@code grid} runs models × training methods × modes from one
 * command (the default: the three sample models, base plus the five methods, direct and CoT); {@code evaluate}
 * only evaluates; {@code train} fine-tunes one model with one method; {@code build-samples} rebuilds the sample
 * corpus and models. Every run is recorded in the run store.
 */
@Command(name = "rationale", mixinStandardHelpOptions = true,
        description = "Do rationales help NLU? Direct vs CoT evaluation and rationale-augmented training (NLURC).",
        subcommands = {RationaleCommand.Grid.class, RationaleCommand.Evaluate.class, RationaleCommand.Train.class,
                RationaleCommand.BuildSamples.class})
public final class RationaleCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    static final Path SAMPLE = Path.of("sample-data");

    /** Runs the command without the app shell (for scripted experiments from a build folder). */
    public static void main(String[] args) {
        System.exit(new picocli.CommandLine(new RationaleCommand()).execute(args));
    }

    /** Options shared by grid, evaluate and train. */
    abstract static class RunOptions implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CliSupport cli;

        @Option(names = "--data", paramLabel = "DIR", description = "NLURC corpus folder (<task>/{train,dev,test}.jsonl). Default: sample-data/nlu.")
        Path data = SAMPLE.resolve("nlu");

        @Option(names = "--model", paramLabel = "DIR", split = ",", description = "Model folder(s). Default: sample-data/models/nlu-{small,medium,large}.")
        List<Path> models = new ArrayList<>();

        @Option(names = "--server", paramLabel = "URL", split = ",", description = "Also evaluate an OpenAI-compatible server "
                + "(e.g. http://127.0.0.1:8080/v1 from ./layerwise serve), by generation; key from LAYERWISE_LLM_API_KEY or OPENAI_API_KEY.")
        List<String> servers = new ArrayList<>();

        @Option(names = "--server-model", paramLabel = "NAME", description = "Model name to ask the server for (default: its first).")
        String serverModel;

        @Option(names = "--per-task", paramLabel = "N", description = "Test items per task (default ${DEFAULT-VALUE}).")
        int perTask = 40;

        @Option(names = "--modes", split = ",", paramLabel = "MODE", description = "direct-ll, direct-ll-norm, direct-gen, cot (default: direct-ll,direct-ll-norm,cot).")
        List<String> modes = new ArrayList<>(List.of("direct-ll", "direct-ll-norm", "cot"));

        @Option(names = "--steps", paramLabel = "N", description = "Fine-tuning steps per method (default ${DEFAULT-VALUE}).")
        int steps = FineTuning.standard().steps();

        @Option(names = "--batch", paramLabel = "N", description = "Items per step (default ${DEFAULT-VALUE}).")
        int batch = FineTuning.standard().batchSize();

        @Option(names = "--lr", paramLabel = "RATE", description = "Peak learning rate (default ${DEFAULT-VALUE}).")
        double lr = FineTuning.standard().peakRate();

        @Option(names = "--seed", description = "Data-order seed (default ${DEFAULT-VALUE}).")
        long seed = FineTuning.standard().seed();

        @Option(names = "--out", paramLabel = "DIR", description = "Also write the table (rationale-table.md), results JSON and crossover chart (PNG, PDF) here.")
        Path out;

        List<Path> modelDirs() {
            if (!models.isEmpty()) return models;
            if (!servers.isEmpty()) return List.of();
            return List.of("nlu-small", "nlu-medium", "nlu-large").stream().map(n -> SAMPLE.resolve("models").resolve(n)).toList();
        }

        abstract List<TrainingMethod> methods();
        abstract List<Double> weights();
        abstract boolean base();
        abstract String kind();

        @Override public Integer call() throws Exception {
            return CliSupport.reportingErrors(spec, () -> {
                PrintWriter o = spec.commandLine().getOut(), err = spec.commandLine().getErr();
                RationaleGrid.Request req = new RationaleGrid.Request(data, modelDirs(), servers, serverModel, methods(), weights(), base(),
                        new FineTuning(steps, batch, lr, Math.max(1, steps / 10), seed), perTask,
                        modes.stream().map(EvalMode::parse).toList());
                try (SqliteRunStore store = cli.openRunStore(); WorkerPool pool = new WorkerPool(store, 1)) {
                    JobSpec js = JobSpec.recorded("rationale", kind(), "Rationales: " + kind() + " on " + data.getFileName(),
                            req.parameters(), String.join(",", modelDirs().stream().map(Path::toString).toList()) + String.join(",", servers));
                    GridResult r = CliSupport.runInForeground(pool, js, RationaleGrid.job(req), err);
                    String table = ComparisonTable.markdown(r);
                    o.println(table);
                    if (out != null) {
                        Files.createDirectories(out);
                        Files.writeString(out.resolve("rationale-table.md"), table);
                        r.write(out.resolve(GridResult.ARTIFACT));
                        CrossoverChart.export(r, out.resolve("rationale-crossover.png"), FigureExport.Format.PNG);
                        CrossoverChart.export(r, out.resolve("rationale-crossover.pdf"), FigureExport.Format.PDF);
                        o.println("wrote " + out.resolve("rationale-table.md") + ", rationale-crossover.{png,pdf}, " + GridResult.ARTIFACT);
                    }
                    o.flush();
                    return 0;
                } catch (JobCancelledException e) {
                    err.println("rationale: cancelled");
                    err.flush();
                    return 130;
                }
            });
        }
    }

    @Command(name = "grid", mixinStandardHelpOptions = true,
            description = "Models × (base + training methods) × modes, from one command; recorded as one run.")
    static final class Grid extends RunOptions {
        @Option(names = "--methods", split = ",", description = "label-only, reason, explain, mix, align (default: all five).")
        List<String> methodNames = new ArrayList<>(List.of("label-only", "reason", "explain", "mix", "align"));

        @Option(names = "--w", split = ",", paramLabel = "W", description = "Align weight(s) of the label loss; several sweep w (default 0.5).")
        List<Double> w = new ArrayList<>(List.of(0.5));

        @Option(names = "--no-base", description = "Skip evaluating the models as they are.")
        boolean noBase;

        @Override List<TrainingMethod> methods() { return methodNames.stream().map(TrainingMethod::parse).toList(); }
        @Override List<Double> weights() { return w; }
        @Override boolean base() { return !noBase; }
        @Override String kind() { return "grid"; }
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Evaluate models as they are, direct vs CoT.")
    static final class Evaluate extends RunOptions {
        @Override List<TrainingMethod> methods() { return List.of(); }
        @Override List<Double> weights() { return List.of(0.5); }
        @Override boolean base() { return true; }
        @Override String kind() { return "evaluate"; }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, description = "Fine-tune with one method (align: weight --w) and evaluate.")
    static final class Train extends RunOptions {
        @Option(names = "--method", required = true, description = "label-only, reason, explain, mix or align.")
        String method;

        @Option(names = "--w", description = "Align weight of the label loss (default ${DEFAULT-VALUE}).")
        double w = 0.5;

        @Override List<TrainingMethod> methods() { return List.of(TrainingMethod.parse(method)); }
        @Override List<Double> weights() { return List.of(w); }
        @Override boolean base() { return false; }
        @Override String kind() { return "train"; }
    }

    @Command(name = "build-samples", mixinStandardHelpOptions = true,
            description = "Rebuild sample-data/nlu (corpus, tokenizer) and the sample models nlu-{small,medium,large} (fixed seeds).")
    static final class BuildSamples implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--sample-data", paramLabel = "DIR", description = "The sample-data folder (default ${DEFAULT-VALUE}).")
        Path sampleData = SAMPLE;

        @Option(names = "--models", split = ",", description = "Only these models (nlu-small, nlu-medium, nlu-large).")
        List<String> only = new ArrayList<>();

        @Option(names = "--corpus-only", description = "Only regenerate the corpus and tokenizer.")
        boolean corpusOnly;

        @Option(names = "--eval-per-task", description = "Test items per task for the model cards (default ${DEFAULT-VALUE}).")
        int perTask = 50;

        @Override public Integer call() throws Exception {
            return CliSupport.reportingErrors(spec, () -> {
                PrintWriter o = spec.commandLine().getOut();
                java.io.PrintStream log = new java.io.PrintStream(System.out, true, java.nio.charset.StandardCharsets.UTF_8);
                NluCorpusBuild.build(sampleData, log);
                if (corpusOnly) return 0;
                int vocab;
                try (HfTokenizer t = HfTokenizer.load(sampleData.resolve("nlu"))) { vocab = t.vocabularySize(); }
                for (NluModelRecipe r : NluModelRecipe.standard(vocab)) {
                    if (!only.isEmpty() && !only.contains(r.name())) continue;
                    NluSampleModels.Report report = NluSampleModels.build(sampleData, r, perTask,
                            new NluSampleModels.PrintingContext(r.name(), r.steps()));
                    NluSampleModels.writeCard(sampleData, report, "./layerwise rationale build-samples --models " + r.name());
                    o.printf(java.util.Locale.ROOT, "%s: %,d parameters, %.0f s, final loss %.4f → %s%n", r.name(),
                            report.parameters(), report.seconds(), report.finalLoss(), sampleData.resolve("models").resolve(r.name()));
                    o.flush();
                }
                return 0;
            });
        }
    }
}
