package org.layerwise.promptopt.method;

import org.layerwise.engine.jobs.Job;
import org.layerwise.engine.llm.TextBackend;
import org.layerwise.engine.model.TransformerModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A prompt-optimisation run as a job, shared by the CLI and the workspace: opens the base and optimizer backends
 * (one load when both name the same folder, but separate counters per role), loads the task, runs GRACE or the OPRO
 * baseline, and records everything through the job context.
 *
 * @param budget     optimizer calls at most; 0 = the method's published budget (GRACE 80, OPRO 300)
 * @param iterations GRACE iterations / OPRO steps; 0 = the method's default
 * @param evalLimit  keep only the first n items of each split (0 = all) for quick runs; recorded
 */
public record PromptOptimisation(Path taskFile, BackendChoice base, BackendChoice optimizer, String method, int budget,
                                 int iterations, int rejectionLimit, long splitSeed, long seed, int trainLimit,
                                 int evalLimit, int testLimit, int baseMaxTokens, int optimizerMaxTokens, int parallel,
                                 String initialPrompt) {
    public PromptOptimisation {
        Objects.requireNonNull(taskFile, "taskFile");
        if (!List.of("grace", "opro").contains(method))
            throw new IllegalArgumentException("--method must be grace or opro, was " + method);
    }

    public static PromptOptimisation defaults(Path task, BackendChoice base, BackendChoice optimizer) {
        return new PromptOptimisation(task, base, optimizer, "grace", 0, 0, 0, 42, 42, 0, 0, 0, 0, 0, 4, null);
    }

    public PromptTask loadTask() {
        PromptTask t = PromptTask.load(taskFile, splitSeed).limited(trainLimit, evalLimit, testLimit);
        return initialPrompt == null || initialPrompt.isBlank() ? t : t.withInitialPrompt(initialPrompt);
    }

    public GraceSettings graceSettings() {
        GraceSettings s = GraceSettings.paper().withSeed(seed).withParallel(parallel);
        if (iterations > 0) s = s.withIterations(iterations);
        if (rejectionLimit > 0) s = s.withRejectionLimit(rejectionLimit);
        if (budget > 0) s = s.withOptimizerBudget(budget);
        return s.withMaxTokens(baseMaxTokens > 0 ? baseMaxTokens : s.baseMaxTokens(),
                optimizerMaxTokens > 0 ? optimizerMaxTokens : s.optimizerMaxTokens());
    }

    public OproSettings oproSettings() {
        OproSettings s = OproSettings.paper().withParallel(parallel);
        s = s.withBudget(iterations > 0 ? iterations : s.steps(), s.candidatesPerStep(), budget > 0 ? budget : s.optimizerBudget());
        return s.withMaxTokens(baseMaxTokens > 0 ? baseMaxTokens : s.baseMaxTokens(),
                optimizerMaxTokens > 0 ? optimizerMaxTokens : s.optimizerMaxTokens());
    }

    /** The run's parameters (backends by URL or folder; never a key). */
    public Map<String, Object> runParameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("task", taskFile.toString());
        p.put("method", method);
        p.put("base", base.describe());
        p.put("optimizer", optimizer.describe());
        p.put("settings", method.equals("grace") ? graceSettings().toString() : oproSettings().toString());
        p.put("split_seed", splitSeed);
        p.put("limits", List.of(trainLimit, evalLimit, testLimit));
        if (initialPrompt != null) p.put("initial_prompt", initialPrompt);
        return p;
    }

    public String title() {
        return (method.equals("grace") ? "GRACE" : "OPRO") + " on " + taskFile.getFileName();
    }

    /** The job: {@code control} pauses it; the job's cancel flag (or the control's) stops it. */
    public Job<OptimizationResult> job(RunControl control) {
        return ctx -> {
            control.cancelledBy(ctx::isCancelled);
            ctx.progress(Double.NaN, "loading the task and the models");
            PromptTask task = loadTask();
            List<TransformerModel> toClose = new ArrayList<>();
            try {
                TransformerModel[] out = new TransformerModel[1];
                TextBackend b = base.open(System.getenv(), out);
                if (out[0] != null) toClose.add(out[0]);
                TextBackend o;
                if (out[0] != null && !optimizer.isUrl() && optimizer.loaded() == null && Path.of(optimizer.spec()).equals(Path.of(base.spec())))
                    o = new org.layerwise.engine.llm.LocalBackend(out[0]);
                else {
                    out[0] = null;
                    o = optimizer.open(System.getenv(), out);
                    if (out[0] != null) toClose.add(out[0]);
                }
                // name the served models up front (and find an unreachable server before any work)
                if (b instanceof org.layerwise.engine.llm.HttpBackend h) h.model();
                if (o instanceof org.layerwise.engine.llm.HttpBackend h) h.model();
                ctx.log("base: " + b.name() + "; optimizer: " + o.name() + "; task " + task.name() + " "
                        + task.train().size() + "/" + task.eval().size() + "/" + task.test().size());
                return method.equals("grace")
                        ? new Grace(b, o, task, graceSettings(), ctx, control).run()
                        : new Opro(b, o, task, oproSettings(), ctx, control).run();
            } finally {
                toClose.forEach(TransformerModel::close);
            }
        };
    }
}
