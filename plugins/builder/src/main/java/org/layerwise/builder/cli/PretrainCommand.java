package org.layerwise.builder.cli;

import org.layerwise.sdk.cli.CliSupport;
import picocli.CommandLine.Mixin;

import org.layerwise.builder.method.EngineMapping;
import org.layerwise.builder.method.ModelConfig;
import org.layerwise.builder.method.NotTrainableException;
import org.layerwise.builder.method.ParameterCounts;
import org.layerwise.builder.method.Pretraining;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.runs.RunStoreException;
import org.layerwise.engine.runs.SqliteRunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code layerwise pretrain}: builds a model from a config (or a preset), pretrains it on a corpus as a
 * recorded run with a progress line, and saves it as a Hugging Face folder. {@code --check} only validates and
 * prints the parameter counts (for configs this version cannot train, too).
 */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = {"Compose a model (TencentPretrain style) and pretrain it on a text corpus, one sequence per line.",
                "Priority: defaults < --preset < --config < --set."})
public final class PretrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE.json", description = "Model and training config (JSON object).")
    Path config;

    @Option(names = "--preset", paramLabel = "NAME", description = "Start from a preset: ${COMPLETION-CANDIDATES}.",
            completionCandidates = Presets.class)
    String preset;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one setting (repeatable), e.g. --set layers_num=6.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--corpus", paramLabel = "FILE.txt", description = "Training text, one sequence per line.")
    Path corpus;

    @Option(names = "--tokenizer", paramLabel = "DIR_OR_FILE", description = "tokenizer.json, or a folder holding one.")
    Path tokenizer;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the trained model folder is written (checkpoints go to DIR.checkpoint).")
    Path out;

    @Option(names = "--steps", paramLabel = "N", description = "Shorthand for --set total_steps=N.")
    Integer steps;

    @Option(names = "--resume", description = "Continue from DIR.checkpoint when it exists.")
    boolean resume;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu", defaultValue = "auto", description = "Where to train (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--check", description = "Only validate the config and print the parameter count per component.")
    boolean check;

    @Mixin
    CliSupport cli;

    /** Preset names for picocli's completion and help. */
    static final class Presets extends ArrayList<String> {
        Presets() { super(ModelConfig.PRESETS); }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outWriter = spec.commandLine().getOut();
        try {
            ModelConfig c = preset == null ? ModelConfig.defaults() : ModelConfig.preset(preset);
            if (config != null) c = c.withFile(config);
            c = c.withOverrides(overrides);
            if (steps != null) c = c.with("total_steps", String.valueOf(steps));
            c.validated();
            if (check) {
                printCounts(c, outWriter);
                return 0;
            }
            if (corpus == null || tokenizer == null || out == null)
                throw new IllegalArgumentException("--corpus, --tokenizer and --out are required to train (or use --check)");
            List<String> blocked = EngineMapping.trainingProblems(c);
            if (!blocked.isEmpty()) throw new NotTrainableException(blocked);
            Pretraining.Request request = new Pretraining.Request(c, corpus, tokenizer, out, resume, deviceChoice());
            try (SqliteRunStore store = cli.openRunStore()) {
                try (WorkerPool pool = new WorkerPool(store, 1)) {
                    JobSpec jobSpec = JobSpec.recorded("builder", "pretrain", "Pretrain " + out.getFileName(),
                            Pretraining.runParameters(request), out.toString());
                    Pretraining.Result r = CliSupport.runInForeground(pool, jobSpec, Pretraining.job(request), err);
                    // perplexity means something for one token-predicting target only, not for cls, sp or a sum of targets
                    boolean tokens = c.list("target").size() == 1 && List.of("lm", "mlm").contains(c.list("target").get(0));
                    outWriter.printf(Locale.ROOT, "saved %s: %d steps, loss %.4f%s%n", r.modelDir(), r.steps(), r.lastLoss(),
                            r.evaluation() == null ? "" : String.format(Locale.ROOT, ", held-out loss %.4f", r.evaluation().loss())
                                    + (!tokens ? "" : String.format(Locale.ROOT, " (perplexity %.2f)", r.evaluation().perplexity())));
                    outWriter.flush();
                    return 0;
                }
            }
        } catch (JobCancelledException e) {
            err.println("pretrain: cancelled; the last checkpoint stays in " + Pretraining.checkpointDir(out) + " (resume with --resume)");
            err.flush();
            return 130;
        } catch (IllegalArgumentException | IllegalStateException | RunStoreException | UncheckedIOException
                 | java.io.IOException | org.layerwise.engine.checkpoint.CheckpointException e) {
            err.println("pretrain: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private LoadOptions.DeviceChoice deviceChoice() {
        try {
            return LoadOptions.DeviceChoice.valueOf(device.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--device must be auto, cpu or gpu, not '" + device + "'");
        }
    }

    static void printCounts(ModelConfig c, PrintWriter out) {
        ParameterCounts counts = ParameterCounts.of(c, 0);
        if (c.integer("vocab_size") == 0) out.println("(vocab_size 0: the tokenizer's vocabulary is added at training time)");
        for (Map.Entry<String, Long> e : counts.byComponent().entrySet())
            out.printf(Locale.ROOT, "%-18s %,15d%n", e.getKey(), e.getValue());
        out.printf(Locale.ROOT, "%-18s %,15d%n", "total", counts.total());
        List<String> blocked = EngineMapping.trainingProblems(c);
        out.println(blocked.isEmpty() ? "trainable: yes" : "not trainable as configured: " + String.join("; ", blocked));
        out.flush();
    }

}
