package org.layerwise.promptopt.method;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.llm.BackendException;
import org.layerwise.engine.llm.ChatMessage;
import org.layerwise.engine.llm.Completion;
import org.layerwise.engine.llm.CompletionOptions;
import org.layerwise.engine.llm.TextBackend;
import org.layerwise.engine.llm.Usage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What GRACE and the baseline share: the budget (optimizer calls, capped; each model's calls and tokens counted
 * apart), eval scoring (a prompt already scored is not scored again), the candidate list, the final pick on test,
 * and writing each step to the run as a trace event the moment it is done.
 */
final class PromptRun implements AutoCloseable {
    private final TextBackend base, optimizer;
    private final PromptTask task;
    private final JobContext ctx;
    private final RunControl control;
    private final int optimizerBudget;
    private final CompletionOptions optimizerOptions;
    private final PromptScorer scorer;
    private final Usage baseStart, optimizerStart;
    private final List<Candidate> candidates = new ArrayList<>();
    private final Map<String, Evaluation> evalCache = new HashMap<>();
    private int optimizerCalls;

    PromptRun(TextBackend base, TextBackend optimizer, PromptTask task, JobContext ctx, RunControl control,
              int optimizerBudget, CompletionOptions baseOptions, CompletionOptions optimizerOptions, int parallel) {
        this.base = base;
        this.optimizer = optimizer;
        this.task = task;
        this.ctx = ctx;
        this.control = control;
        this.optimizerBudget = optimizerBudget;
        this.optimizerOptions = optimizerOptions;
        this.scorer = new PromptScorer(base, task.answerFormat(), baseOptions, parallel, control);
        this.baseStart = base.usage();
        this.optimizerStart = optimizer.usage();
    }

    /** A run with the decoding, budget and parallelism of {@code settings}. */
    PromptRun(TextBackend base, TextBackend optimizer, PromptTask task, JobContext ctx, RunControl control, RunBudget settings) {
        this(base, optimizer, task, ctx, control, settings.optimizerBudget(),
                new CompletionOptions(settings.baseMaxTokens(), settings.baseTemperature(), List.of(), settings.seed()),
                new CompletionOptions(settings.optimizerMaxTokens(), settings.optimizerTemperature(), List.of(), settings.seed()),
                settings.parallel());
    }

    /** The optimisation loop of one method, which may fail with a backend error. */
    interface Loop {
        OptimizationResult run() throws BackendException;
    }

    /** Records the setup, runs the loop, records a failure before passing it on, and closes the run. */
    OptimizationResult execute(String method, Record settings, Loop loop) throws BackendException {
        try (this) {
            setup(method, settings);
            return loop.run();
        } catch (BackendException | RuntimeException e) {
            failed(e);
            throw e;
        }
    }

    PromptScorer scorer() { return scorer; }

    int optimizerCalls() { return optimizerCalls; }

    int nextId() { return candidates.size(); }

    double accuracy(int correct) { return correct / (double) task.eval().size(); }

    String percent(int correct) { return String.format(Locale.ROOT, "%.1f%%", 100 * accuracy(correct)); }

    Usage baseUsage() { return base.usage().minus(baseStart); }

    Usage optimizerUsage() { return optimizer.usage().minus(optimizerStart); }

    void setup(String method, Record settings) {
        ObjectNode n = PromptTrace.JSON.createObjectNode();
        n.put("method", method).put("task", task.name()).put("initial_prompt", task.initialPrompt())
                .put("answer_format", task.answerFormat()).put("train", task.train().size())
                .put("eval", task.eval().size()).put("test", task.test().size())
                .put("base", base.name()).put("optimizer", optimizer.name()).put("optimizer_budget", optimizerBudget);
        n.set("settings", PromptTrace.JSON.valueToTree(settings));
        ctx.trace(PromptTrace.SETUP, n.toString());
    }

    Evaluation evaluate(String prompt) throws BackendException {
        Evaluation cached = evalCache.get(prompt);
        if (cached != null) return cached;
        Evaluation e = scorer.score(prompt, task.eval());
        evalCache.put(prompt, e);
        return e;
    }

    Completion callOptimizer(String request) throws BackendException {
        if (optimizerCalls >= optimizerBudget)
            throw new IllegalStateException("the optimizer budget of " + optimizerBudget + " calls is spent");
        control.checkpoint();
        optimizerCalls++;
        return optimizer.complete(List.of(ChatMessage.user(request)), optimizerOptions);
    }

    /** Stamps the usage so far on the candidate, keeps it and writes it to the run. */
    /** Evaluates the task's initial prompt and records it as the root candidate (id 0), where every method starts. */
    Candidate recordRoot() throws BackendException {
        Evaluation e = evaluate(task.initialPrompt());
        return record(new Candidate(0, -1, 0, "root", task.initialPrompt(), Double.NaN, e.accuracy(), e.correct(), true, 0,
                List.of(), null, null, null, e.items(), null, null));
    }

    /** Waits while paused and stops when cancelled; called between model calls. */
    void checkpoint() { control.checkpoint(); }

    void progress(double fraction, String message) { ctx.progress(fraction, message); }

    Candidate record(Candidate c) {
        Candidate stamped = new Candidate(c.id(), c.parent(), c.iteration(), c.action(), c.prompt(), c.evalBefore(),
                c.evalAfter(), c.evalCorrect(), c.accepted(), c.rejectionsInARow(), c.feedback(), c.optimizerPrompt(),
                c.optimizerResponse(), c.extraction(), c.items(), baseUsage(), optimizerUsage());
        candidates.add(stamped);
        ctx.trace(PromptTrace.CANDIDATE, PromptTrace.toJson(stamped).toString());
        ctx.log(String.format(Locale.ROOT, "#%d %s (iteration %d): eval %.3f%s", c.id(), c.action(), c.iteration(),
                c.evalAfter(), switch (c.action()) {
                    case "root" -> "";
                    case "compress" -> " taken without the gate";
                    default -> c.accepted() ? " accepted" : " rejected";
                }));
        return stamped;
    }

    void feedback(int iteration, int batches, int answered, int successes, int failures, int formatErrors) {
        ObjectNode n = PromptTrace.JSON.createObjectNode();
        n.put("iteration", iteration).put("batches", batches).put("answered", answered).put("successes", successes)
                .put("failures", failures).put("format_errors", formatErrors);
        ctx.trace(PromptTrace.FEEDBACK, n.toString());
    }

    void budget(int iteration) {
        Usage b = baseUsage(), o = optimizerUsage();
        ObjectNode n = PromptTrace.JSON.createObjectNode();
        n.put("iteration", iteration).put("optimizer_calls", optimizerCalls).put("optimizer_budget", optimizerBudget);
        n.set("base", PromptTrace.usageJson(b));
        n.set("optimizer", PromptTrace.usageJson(o));
        ctx.trace(PromptTrace.BUDGET, n.toString());
        ctx.metric("budget/optimizer_calls", iteration, o.calls());
        ctx.metric("budget/base_calls", iteration, b.calls());
    }

    void metric(String name, long step, double value) { ctx.metric(name, step, value); }

    void failed(Exception e) {
        ObjectNode n = PromptTrace.JSON.createObjectNode();
        n.put("message", String.valueOf(e.getMessage())).put("candidates_recorded", candidates.size());
        ctx.trace(PromptTrace.ERROR, n.toString());
    }

    /** Scores every prompt holding the top eval score on test and picks the best of them. */
    OptimizationResult finish(String stopReason) throws BackendException {
        int top = candidates.stream().mapToInt(Candidate::evalCorrect).max().orElseThrow();
        Map<Integer, Double> testAccuracy = new LinkedHashMap<>();
        Map<String, Evaluation> tested = new HashMap<>();
        int chosen = -1;
        double chosenTest = -1;
        ObjectNode n = PromptTrace.JSON.createObjectNode();
        n.put("stop_reason", stopReason).put("top_eval", accuracy(top));
        var list = n.putArray("tested");
        for (Candidate c : candidates) {
            if (c.evalCorrect() != top) continue;
            control.checkpoint();
            ctx.progress(Double.NaN, "scoring candidate #" + c.id() + " on test");
            Evaluation t = tested.get(c.prompt());
            if (t == null) {
                t = scorer.score(c.prompt(), task.test());
                tested.put(c.prompt(), t);
            }
            testAccuracy.put(c.id(), t.accuracy());
            ObjectNode e = list.addObject().put("id", c.id()).put("test_accuracy", t.accuracy())
                    .put("test_correct", t.correct()).put("format_errors", t.formatErrors());
            e.set("items", PromptTrace.itemsJson(t.items()));
            if (t.accuracy() > chosenTest) {
                chosenTest = t.accuracy();
                chosen = c.id();
            }
        }
        n.put("chosen", chosen).put("test_accuracy", chosenTest);
        n.put("optimizer_calls", optimizerCalls);
        n.set("base", PromptTrace.usageJson(baseUsage()));
        n.set("optimizer", PromptTrace.usageJson(optimizerUsage()));
        ctx.trace(PromptTrace.FINAL, n.toString());
        ctx.metric("test/accuracy", 0, chosenTest);
        ctx.metric("eval/top", 0, accuracy(top));
        ctx.progress(1, "done: test accuracy " + String.format(Locale.ROOT, "%.3f", chosenTest));
        return new OptimizationResult(List.copyOf(candidates), chosen, testAccuracy, stopReason, baseUsage(), optimizerUsage());
    }

    record Extracted(String prompt, String note) {}

    /** The tagged prompt; without tags the whole answer (noted); an empty answer keeps the parent prompt (noted). */
    static Extracted extract(String response, String parent) {
        String tagged = OptimizerPrompts.extract(response);
        if (tagged != null) return new Extracted(tagged, "tagged");
        String whole = response == null ? "" : response.strip();
        if (!whole.isEmpty()) return new Extracted(whole, "no <START> tags: the whole answer was taken as the prompt");
        return new Extracted(parent, "empty answer: the parent prompt was kept");
    }

    @Override public void close() { scorer.close(); }
}
