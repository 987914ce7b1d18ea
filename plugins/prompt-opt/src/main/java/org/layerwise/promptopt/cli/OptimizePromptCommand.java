package org.layerwise.promptopt.cli;

import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.llm.BackendException;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.promptopt.method.BackendChoice;
import org.layerwise.promptopt.method.Candidate;
import org.layerwise.promptopt.method.OptimizationResult;
import org.layerwise.promptopt.method.PromptOptimisation;
import org.layerwise.promptopt.method.PromptTask;
import org.layerwise.promptopt.method.PromptTrace;
import org.layerwise.promptopt.method.RunControl;
import org.layerwise.sdk.cli.CliSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code layerwise optimize-prompt}: GRACE (or the OPRO baseline) on a task file, with the base and optimizer
 * models each given as an OpenAI-compatible URL or a model folder; every step is recorded in the run store.
 * {@code --show-run ID} prints a recorded run's candidates; {@code --show-splits} only prints the task's splits.
 */
@Command(name = "optimize-prompt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Optimise a prompt with GRACE (gated refinement, adaptive compression) or the OPRO baseline.",
                "Models: an OpenAI-compatible URL (e.g. http://127.0.0.1:8080/v1 from `layerwise serve`, vLLM, llama.cpp,",
                "OpenAI; key from LAYERWISE_LLM_API_KEY or OPENAI_API_KEY) or a model folder."})
public final class OptimizePromptCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CliSupport cli;

    @Option(names = "--task", paramLabel = "FILE", description = "BIG-bench task .json (e.g. sample-data/bbh/snarks.json) or .jsonl.")
    Path task;
    @Option(names = "--base", paramLabel = "URL|DIR", description = "The model that answers the task.")
    String base;
    @Option(names = "--optimizer", paramLabel = "URL|DIR", description = "The model that rewrites the prompt (default: the base).")
    String optimizer;
    @Option(names = "--base-model", paramLabel = "NAME", description = "Model name at the base URL (default: $LAYERWISE_LLM_MODEL, else the server's first).")
    String baseModel;
    @Option(names = "--optimizer-model", paramLabel = "NAME", description = "Model name at the optimizer URL.")
    String optimizerModel;
    @Option(names = "--method", defaultValue = "grace", description = "grace or opro (default: ${DEFAULT-VALUE}).")
    String method;
    @Option(names = "--budget", paramLabel = "CALLS", defaultValue = "0",
            description = "Optimizer calls at most (default: GRACE 80, OPRO 300, as published).")
    int budget;
    @Option(names = "--iterations", paramLabel = "N", defaultValue = "0", description = "GRACE iterations / OPRO steps (default: GRACE 80, OPRO 200).")
    int iterations;
    @Option(names = "--rejections", paramLabel = "K", defaultValue = "0", description = "Compress after K rejections in a row (default 5).")
    int rejections;
    @Option(names = "--eval-limit", paramLabel = "N", defaultValue = "0", description = "Use only the first N eval items (0 = all).")
    int evalLimit;
    @Option(names = "--train-limit", paramLabel = "N", defaultValue = "0", description = "Use only the first N train items (0 = all).")
    int trainLimit;
    @Option(names = "--test-limit", paramLabel = "N", defaultValue = "0", description = "Use only the first N test items (0 = all).")
    int testLimit;
    @Option(names = "--base-max-tokens", paramLabel = "N", defaultValue = "0", description = "Answer length (default 1024).")
    int baseMaxTokens;
    @Option(names = "--optimizer-max-tokens", paramLabel = "N", defaultValue = "0", description = "Rewrite length (default: GRACE 4096, OPRO 1024).")
    int optimizerMaxTokens;
    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", description = "Base calls in flight (default: ${DEFAULT-VALUE}).")
    int parallel;
    @Option(names = "--split-seed", defaultValue = "42", description = "Seed of the train/eval/test split (default: ${DEFAULT-VALUE}).")
    long splitSeed;
    @Option(names = "--seed", defaultValue = "42", description = "Seed of feedback sampling (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--initial-prompt", paramLabel = "TEXT", description = "Start from this prompt (default: the task's description).")
    String initialPrompt;
    @Option(names = "--retries", paramLabel = "N", defaultValue = "4", description = "Retries of a failed HTTP call, with back-off from 1 s (default: ${DEFAULT-VALUE}).")
    int retries;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120", description = "Wait this long for an HTTP answer (default: ${DEFAULT-VALUE}).")
    int timeout;
    @Option(names = "--show-splits", description = "Only print the task's split sizes and initial prompt.")
    boolean showSplits;
    @Option(names = "--show-run", paramLabel = "ID", description = "Print the candidates of a recorded run and exit.")
    Long showRun;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        return CliSupport.reportingErrors(spec, () -> {
            if (showRun != null) return showRun(out);
            if (task == null) throw new IllegalArgumentException("--task is required (e.g. --task sample-data/bbh/snarks.json)");
            PromptOptimisation request = new PromptOptimisation(task,
                    BackendChoice.of(base, baseModel).withHttp(retries, timeout),
                    BackendChoice.of(optimizer != null ? optimizer : base,
                            optimizer != null ? optimizerModel : optimizerModel != null ? optimizerModel : baseModel)
                            .withHttp(retries, timeout),
                    method.toLowerCase(Locale.ROOT), budget, iterations, rejections, splitSeed, seed, trainLimit, evalLimit,
                    testLimit, baseMaxTokens, optimizerMaxTokens, parallel, initialPrompt);
            if (showSplits) {
                PromptTask t = request.loadTask();
                out.printf(Locale.ROOT, "%s: train %d, eval %d, test %d (split seed %d)%ninitial prompt: %s%nanswer format: %s%n",
                        t.name(), t.train().size(), t.eval().size(), t.test().size(), splitSeed, t.initialPrompt(), t.answerFormat());
                out.flush();
                return 0;
            }
            if (base == null) throw new IllegalArgumentException("--base is required: a URL (http://127.0.0.1:8080/v1) or a model folder");
            try (SqliteRunStore store = cli.openRunStore(); WorkerPool pool = new WorkerPool(store, 1)) {
                JobSpec jobSpec = JobSpec.recorded("prompt-opt", request.method(), request.title(), request.runParameters(),
                        request.base().describe());
                OptimizationResult r;
                java.util.concurrent.atomic.AtomicLong recorded = new java.util.concurrent.atomic.AtomicLong(-1);
                org.layerwise.engine.jobs.Job<OptimizationResult> job = request.job(new RunControl());
                try {
                    r = CliSupport.runInForeground(pool, jobSpec, ctx -> {
                        recorded.set(ctx.runId());
                        return job.run(ctx);
                    }, err);
                } catch (BackendException e) {
                    err.println("optimize-prompt: " + e.getMessage());
                    err.println("optimize-prompt: every step finished before the failure is in the run store (`layerwise runs list`)");
                    err.flush();
                    return 1;
                } catch (JobCancelledException e) {
                    err.println("optimize-prompt: cancelled; the steps so far are in the run store");
                    err.flush();
                    return 130;
                }
                long runId = recorded.get();
                printCandidates(out, r.candidates());
                Candidate chosen = r.chosen();
                out.printf(Locale.ROOT, "stopped: %s; final pick #%d: eval %.3f, test %.3f%n", r.stopReason(), chosen.id(),
                        chosen.evalAfter(), r.testAccuracy().get(chosen.id()));
                out.printf(Locale.ROOT, "budget: optimizer %d calls (%d in / %d out tokens), base %d calls (%d in / %d out tokens)%n",
                        r.optimizerUsage().calls(), r.optimizerUsage().inputTokens(), r.optimizerUsage().outputTokens(),
                        r.baseUsage().calls(), r.baseUsage().inputTokens(), r.baseUsage().outputTokens());
                out.println("prompt:");
                out.println(chosen.prompt());
                out.println("run " + runId + " (layerwise runs show " + runId + "; layerwise optimize-prompt --show-run " + runId + ")");
                out.flush();
                return 0;
            }
        });
    }

    private int showRun(PrintWriter out) {
        try (SqliteRunStore store = cli.openRunStore()) {
            store.get(showRun).orElseThrow(() -> new IllegalArgumentException("there is no run " + showRun + "; see `layerwise runs list`"));
            PromptTrace trace = PromptTrace.read(store.traces(showRun));
            if (!trace.isPromptOptimisation())
                throw new IllegalArgumentException("run " + showRun + " is not a prompt-optimisation run");
            out.println(trace.setup().path("method").asText().toUpperCase(Locale.ROOT) + " on " + trace.setup().path("task").asText()
                    + " (train " + trace.setup().path("train").asInt() + ", eval " + trace.setup().path("eval").asInt()
                    + ", test " + trace.setup().path("test").asInt() + ")");
            out.println("base: " + trace.setup().path("base").asText() + "; optimizer: " + trace.setup().path("optimizer").asText());
            printCandidates(out, trace.candidates());
            if (trace.result() != null)
                out.printf(Locale.ROOT, "stopped: %s; final pick #%d, test %.3f%n", trace.result().path("stop_reason").asText(),
                        trace.result().path("chosen").asInt(), trace.result().path("test_accuracy").asDouble());
            if (trace.error() != null) out.println("failed: " + trace.error().path("message").asText());
            out.flush();
            return 0;
        }
    }

    static void printCandidates(PrintWriter out, java.util.List<Candidate> candidates) {
        out.println("  #  parent  iter  action    eval   decision  rejections  prompt");
        for (Candidate c : candidates) {
            String decision = c.action().equals("root") ? "start" : c.action().equals("compress") ? "taken"
                    : c.accepted() ? "accepted" : "rejected";
            String prompt = c.prompt().replaceAll("\\s+", " ");
            if (prompt.length() > 60) prompt = prompt.substring(0, 59) + "…";
            out.printf(Locale.ROOT, "%3d  %6d  %4d  %-8s  %.3f  %-8s  %10d  %s%n", c.id(), c.parent(), c.iteration(), c.action(),
                    c.evalAfter(), decision, c.rejectionsInARow(), prompt);
        }
    }
}
