package org.layerwise.promptopt.method;

import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.llm.BackendException;
import org.layerwise.engine.llm.Completion;
import org.layerwise.engine.llm.TextBackend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * GRACE (arXiv:2509.23387): gated refinement with adaptive compression. Each iteration collects feedback from train
 * batches with the current prompt, shows the optimizer exactly {@code successes} right and {@code failures} wrong
 * answers (feedback regulation gate), and scores its rewrite on the whole eval split; the rewrite replaces the
 * current prompt only when strictly better than the best score so far (update rejection gate: ties are rejected).
 * After K rejections in a row the optimizer compresses the current prompt; the compressed prompt is taken without
 * the gate and the best score is reset to its own eval score, which may be lower. At the end every prompt holding
 * the top eval score is scored on test. Every step goes to the run as a trace event as soon as it is done.
 */
public final class Grace {
    private final PromptTask task;
    private final GraceSettings settings;
    private final PromptRun run;

    public Grace(TextBackend base, TextBackend optimizer, PromptTask task, GraceSettings settings, JobContext ctx,
                 RunControl control) {
        this.task = task;
        this.settings = settings;
        this.run = new PromptRun(base, optimizer, task, ctx, control, settings);
    }

    public OptimizationResult run() throws BackendException {
        return run.execute("grace", settings, this::loop);
    }

    private OptimizationResult loop() throws BackendException {
        Random rng = new Random(settings.seed());
        Candidate current = run.recordRoot();
        int best = current.evalCorrect();
        int rejections = 0;
        String stop = "iterations";
        for (int it = 1; it <= settings.iterations(); it++) {
            run.checkpoint();
            run.progress((it - 1) / (double) settings.iterations(), "iteration " + it + " of " + settings.iterations()
                    + ", best eval " + run.percent(best));
            if (run.optimizerCalls() >= settings.optimizerBudget()) { stop = "budget"; break; }
            Feedback fb = collectFeedback(current.prompt(), rng, it);
            if (fb.perfect) { stop = "train accuracy 1"; break; }
            // feedback regulation gate: exactly `successes` right and `failures` wrong answers (fewer only if fewer exist)
            List<FeedbackExample> shownOk = sample(fb.successes, settings.successes(), rng);
            List<FeedbackExample> shownBad = sample(fb.failures, settings.failures(), rng);
            String request = OptimizerPrompts.refine(current.prompt(), shownOk, shownBad, fb.formatErrors, fb.answered);
            Completion reply = run.callOptimizer(request);
            PromptRun.Extracted proposal = PromptRun.extract(reply.text(), current.prompt());
            Evaluation eval = run.evaluate(proposal.prompt());
            // update rejection gate: strictly better than the best so far; a tie is a rejection
            boolean accepted = eval.correct() > best;
            rejections = accepted ? 0 : rejections + 1;
            List<FeedbackExample> shown = new ArrayList<>(shownOk);
            shown.addAll(shownBad);
            Candidate c = run.record(new Candidate(run.nextId(), current.id(), it, "refine", proposal.prompt(),
                    run.accuracy(best), eval.accuracy(), eval.correct(), accepted, rejections, shown, request, reply.text(),
                    proposal.note(), eval.items(), null, null));
            if (accepted) {
                best = eval.correct();
                current = c;
            }
            run.metric("eval/candidate", it, eval.accuracy());
            if (rejections >= settings.rejectionLimit()) {
                if (run.optimizerCalls() >= settings.optimizerBudget()) { run.budget(it); stop = "budget"; break; }
                // adaptive compression: taken without the gate; the best score restarts from the compressed prompt's
                String compressRequest = OptimizerPrompts.compress(current.prompt());
                Completion compressed = run.callOptimizer(compressRequest);
                PromptRun.Extracted shorter = PromptRun.extract(compressed.text(), current.prompt());
                Evaluation ce = run.evaluate(shorter.prompt());
                Candidate cc = run.record(new Candidate(run.nextId(), current.id(), it, "compress", shorter.prompt(),
                        run.accuracy(best), ce.accuracy(), ce.correct(), true, 0, List.of(), compressRequest,
                        compressed.text(), shorter.note(), ce.items(), null, null));
                current = cc;
                best = ce.correct();
                rejections = 0;
            }
            run.metric("eval/best", it, run.accuracy(best));
            run.budget(it);
        }
        return run.finish(stop);
    }

    private record Feedback(List<FeedbackExample> successes, List<FeedbackExample> failures, int formatErrors,
                            int answered, boolean perfect) {}

    /** Walks shuffled train batches until enough right and wrong (parsed) answers are in hand, or train runs out. */
    private Feedback collectFeedback(String prompt, Random rng, int iteration) throws BackendException {
        List<TaskItem> order = new ArrayList<>(task.train());
        Collections.shuffle(order, rng);
        List<FeedbackExample> ok = new ArrayList<>(), bad = new ArrayList<>();
        int formatErrors = 0, answered = 0, batches = 0;
        for (int from = 0; from < order.size(); from += settings.batchSize()) {
            List<TaskItem> batch = order.subList(from, Math.min(order.size(), from + settings.batchSize()));
            Evaluation e = run.scorer().score(prompt, batch);
            batches++;
            for (int i = 0; i < batch.size(); i++) {
                TaskItem item = batch.get(i);
                ItemResult r = e.items().get(i);
                answered++;
                if (r.formatError()) { formatErrors++; continue; }
                FeedbackExample fe = new FeedbackExample(item.id(), run.scorer().basePrompt(prompt, item), r.response(),
                        item.label(), r.prediction(), r.correct());
                (r.correct() ? ok : bad).add(fe);
            }
            if (ok.size() >= settings.successes() && bad.size() >= settings.failures()) break;
        }
        boolean perfect = answered == order.size() && bad.isEmpty() && formatErrors == 0;
        run.feedback(iteration, batches, answered, ok.size(), bad.size(), formatErrors);
        return new Feedback(ok, bad, formatErrors, answered, perfect);
    }

    private static <T> List<T> sample(List<T> from, int n, Random rng) {
        List<T> copy = new ArrayList<>(from);
        Collections.shuffle(copy, rng);
        return List.copyOf(copy.subList(0, Math.min(n, copy.size())));
    }
}
