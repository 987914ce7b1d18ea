package org.layerwise.modelselect.cli;

import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.modelselect.method.CoarseRecall;
import org.layerwise.modelselect.method.FineTuning;
import org.layerwise.modelselect.method.ModelRepository;
import org.layerwise.modelselect.method.PerformanceMatrix;
import org.layerwise.modelselect.method.RepositoryBuild;
import org.layerwise.modelselect.method.SelectionComparison;
import org.layerwise.modelselect.method.SelectionRun;
import org.layerwise.modelselect.method.TrendPredictor;
import org.layerwise.sdk.cli.CliSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code layerwise select-model}: two-phase model selection (coarse recall, then successive halving with the
 * convergence-trend filter) against brute force and plain successive halving, on a repository and a target, as a
 * recorded run. Subcommands build a local repository and import the paper's matrices.
 */
@Command(name = "select-model", mixinStandardHelpOptions = true,
        description = {"Pick a model to fine-tune from a repository without fine-tuning them all (two-phase selection, arXiv:2404.00069),",
                "and compare with brute force and plain successive halving (chosen model, regret, fine-tuning epochs, wall time)."},
        subcommands = {SelectModelCommand.BuildRepository.class, SelectModelCommand.ImportPaper.class})
public final class SelectModelCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--repository", paramLabel = "DIR",
            description = "A local repository (models/, data/, benchmarks/) or an imported matrix folder (matrix.txt).")
    Path repository;

    @Option(names = "--target", paramLabel = "NAME",
            description = "Target data set (data/NAME.tsv); on an imported matrix a benchmark to hold out, or 'all'.")
    String target;

    @Option(names = "--mode", paramLabel = "real|simulate", defaultValue = "real",
            description = "real: fine-tune the checkpoints; simulate: replay learning curves (default: ${DEFAULT-VALUE}; imported matrices only simulate).")
    String mode;

    @Option(names = "--threshold", paramLabel = "T", description = "Clustering threshold (paper: 0.09 NLP, 0.03 CV; default 0.09).")
    double threshold = CoarseRecall.NLP_THRESHOLD;

    @Option(names = "--recall", paramLabel = "K", description = "Models recalled for fine selection (paper: 15; default ${DEFAULT-VALUE}).")
    int recall = CoarseRecall.PAPER_RECALL;

    @Option(names = "--epochs", paramLabel = "E", description = "Fine-tuning epochs of the full schedule (paper: 5; default ${DEFAULT-VALUE}).")
    int epochs = 5;

    @Option(names = "--trend-k", paramLabel = "K", description = "Clusters of the trend predictor's 1-D k-means (paper: 4).")
    int trendK = TrendPredictor.PAPER_K;

    @Option(names = "--leep", paramLabel = "FILE", description = "LEEP scores to use (header of model names, one row of scores).")
    Path leep;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Fine-tuning learning rate (AdamW, default ${DEFAULT-VALUE}).")
    double learningRate = FineTuning.Settings.defaults().learningRate();

    @Option(names = "--batch-size", paramLabel = "N", description = "Fine-tuning batch size (default ${DEFAULT-VALUE}).")
    int batchSize = FineTuning.Settings.defaults().batchSize();

    @Option(names = "--noise", paramLabel = "SD", description = "Simulation of an imported matrix: validation noise of the synthetic curves (default ${DEFAULT-VALUE}).")
    double noise = 0.01;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of fine-tuning order and synthetic curves (default ${DEFAULT-VALUE}).")
    long seed = 17;

    @Mixin CliSupport cli;

    @Override
    public Integer call() throws Exception {
        return CliSupport.reportingErrors(spec, () -> {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            if (repository == null || target == null)
                throw new IllegalArgumentException("--repository and --target are required (or use a subcommand: build-repository, import-paper)");
            SelectionRun.Mode m = switch (mode.toLowerCase(Locale.ROOT)) {
                case "real" -> SelectionRun.Mode.REAL;
                case "simulate" -> SelectionRun.Mode.SIMULATE;
                default -> throw new IllegalArgumentException("--mode must be real or simulate, not '" + mode + "'");
            };
            if (ModelRepository.open(repository).isImported()) m = SelectionRun.Mode.SIMULATE;
            SelectionRun.Request request = new SelectionRun.Request(repository, target, m,
                    new SelectionComparison.Settings(threshold, recall, epochs, trendK),
                    new FineTuning.Settings(learningRate, batchSize, FineTuning.Settings.defaults().weightDecay(), seed), noise, seed, leep);
            try (SqliteRunStore store = cli.openRunStore(); WorkerPool pool = new WorkerPool(store, 1)) {
                JobSpec js = JobSpec.recorded("model-select", "select", "Select a model for " + target, request.parameters(), repository.toString());
                SelectionRun.Output o = CliSupport.runInForeground(pool, js, SelectionRun.job(request), err);
                print(o.results(), out);
                if (o.table() != null) out.println("table: " + o.table());
                out.flush();
                return 0;
            } catch (JobCancelledException e) {
                err.println("select-model: cancelled");
                err.flush();
                return 130;
            }
        });
    }

    static void print(List<SelectionComparison.Result> results, PrintWriter out) {
        for (SelectionComparison.Result r : results) {
            out.printf(Locale.ROOT, "target %s: best %s (%.4f); recalled %d; %d clusters%n", r.target(), r.best(), r.bestAccuracy(),
                    r.recall().recalled().size(), r.recall().clusters().size());
            for (SelectionComparison.Row row : r.rows())
                out.printf(Locale.ROOT, "  %-20s %-40s acc %.4f  regret %.4f  epochs %d (selection %d)  %.1f s%n", row.strategy(), row.chosen(),
                        row.chosenAccuracy(), row.regret(), row.totalEpochs(), row.selectionEpochs(), row.seconds());
        }
        if (results.size() > 1) {
            long bestRecalled = results.stream().filter(SelectModelCommand::bestRecalled).count();
            out.printf(Locale.ROOT, "coarse recall kept the true best model in %d of %d targets%n", bestRecalled, results.size());
            for (String s : List.of(SelectionComparison.TWO_PHASE, SelectionComparison.RECALL_HALVING, SelectionComparison.PLAIN, SelectionComparison.BRUTE)) {
                double regret = results.stream().mapToDouble(r -> r.row(s).regret()).average().orElse(Double.NaN);
                double ep = results.stream().mapToDouble(r -> r.row(s).totalEpochs()).average().orElse(Double.NaN);
                long within = results.stream().filter(r -> r.row(s).regret() <= 0.01).count();
                out.printf(Locale.ROOT, "mean over %d targets: %-20s regret %.4f, within 1 point %d/%d, epochs %.1f%n",
                        results.size(), s, regret, within, results.size(), ep);
            }
        }
    }

    static boolean bestRecalled(SelectionComparison.Result r) {
        List<String> models = r.bruteForce().curves().keySet().stream().toList();
        return r.recall().recalled().stream().map(models::get).anyMatch(m -> m.equals(r.best()));
    }

    /** {@code select-model build-repository}: fp16 model copies, benchmark matrix and curves by fine-tuning, LEEP per target. */
    @Command(name = "build-repository", mixinStandardHelpOptions = true,
            description = "Fill a local repository: float16 copies of trained models, the benchmark matrix and learning curves by fine-tuning, LEEP on every target.")
    static final class BuildRepository implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--repository", paramLabel = "DIR", required = true, description = "The repository (with data/*.tsv).")
        Path repository;

        @Option(names = "--models", paramLabel = "DIR", description = "Folder of trained model folders to copy in as float16.")
        Path models;

        @Option(names = "--epochs", paramLabel = "E", description = "Fine-tuning epochs per benchmark (default ${DEFAULT-VALUE}).")
        int epochs = 5;

        @Option(names = "--leep-only", description = "Only (re)compute LEEP on every target.")
        boolean leepOnly;

        @Mixin CliSupport cli;

        @Override
        public Integer call() throws Exception {
            return CliSupport.reportingErrors(spec, () -> {
                PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("repository", repository.toString());
                params.put("models", String.valueOf(models));
                params.put("epochs", epochs);
                try (SqliteRunStore store = cli.openRunStore(); WorkerPool pool = new WorkerPool(store, 1)) {
                    JobSpec js = JobSpec.recorded("model-select", "build-repository", "Build repository " + repository.getFileName(), params, repository.toString());
                    PerformanceMatrix p = CliSupport.runInForeground(pool, js, ctx -> {
                        if (models != null && !leepOnly) RepositoryBuild.copyAsHalf(models, repository, ctx);
                        ModelRepository repo = ModelRepository.open(repository);
                        PerformanceMatrix matrix = leepOnly ? repo.matrix() : RepositoryBuild.benchmark(repo, epochs, FineTuning.Settings.defaults(), ctx);
                        for (String t : repo.targetNames()) RepositoryBuild.leep(repo, t, ctx);
                        return matrix;
                    }, err);
                    if (leepOnly) out.println("LEEP written to " + repository.resolve("leep"));
                    else out.printf(Locale.ROOT, "%d models × %d benchmarks written to %s%n", p.modelCount(), p.datasetCount(), repository.resolve("benchmarks"));
                    out.flush();
                    return 0;
                }
            });
        }
    }

    /** {@code select-model import-paper}: the paper's matrix, data set names and LEEP files into a repository folder. */
    @Command(name = "import-paper", mixinStandardHelpOptions = true,
            description = "Import the paper's matrix.txt, datasets.txt and leep_score_*.txt (github.com/plasware/two-phase-selection) into a folder.")
    static final class ImportPaper implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--from", paramLabel = "DIR", required = true, description = "Folder holding matrix.txt (e.g. coarse_recall/NLP_coarse_recall).")
        Path from;

        @Option(names = "--to", paramLabel = "DIR", required = true, description = "Repository folder to create or update.")
        Path to;

        @Override
        public Integer call() throws Exception {
            return CliSupport.reportingErrors(spec, () -> {
                PerformanceMatrix p = ModelRepository.importPaper(from, to);
                spec.commandLine().getOut().printf(Locale.ROOT, "imported %d models × %d data sets into %s%n", p.modelCount(), p.datasetCount(), to);
                spec.commandLine().getOut().flush();
                return 0;
            });
        }
    }
}
