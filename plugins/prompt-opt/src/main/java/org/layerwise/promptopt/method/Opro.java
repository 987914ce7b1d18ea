package org.layerwise.promptopt.method;

import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.llm.BackendException;
import org.layerwise.engine.llm.Completion;
import org.layerwise.engine.llm.TextBackend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The OPRO baseline: each step shows the optimizer the best instructions so far with their eval scores (ascending,
 * as in OPRO) and a few train exemplars, and asks for a new, better instruction; each proposal is scored on eval.
 * Budget, scoring, trace and final pick on test are shared with {@link Grace}, so the two compare call for call.
 * A proposal is marked accepted when it beats the best score so far (strictly), for the trace view only.
 */
public final class Opro {
    private final PromptTask task;
    private final OproSettings settings;
    private final PromptRun run;

    public Opro(TextBackend base, TextBackend optimizer, PromptTask task, OproSettings settings, JobContext ctx,
                RunControl control) {
        this.task = task;
        this.settings = settings;
        this.run = new PromptRun(base, optimizer, task, ctx, control, settings);
    }

    public OptimizationResult run() throws BackendException {
        return run.execute("opro", settings, this::loop);
    }

    private OptimizationResult loop() throws BackendException {
        Random rng = new Random(settings.seed());
        List<Candidate> scored = new ArrayList<>();
        Candidate best = run.recordRoot();
        scored.add(best);
        String stop = "iterations";
        outer:
        for (int step = 1; step <= settings.steps(); step++) {
            run.progress((step - 1) / (double) settings.steps(), "step " + step + ", best eval " + run.percent(best.evalCorrect()));
            String request = metaPrompt(scored, exemplars(rng));
            for (int k = 0; k < settings.candidatesPerStep(); k++) {
                run.checkpoint();
                if (run.optimizerCalls() >= settings.optimizerBudget()) { stop = "budget"; break outer; }
                Completion reply = run.callOptimizer(request);
                PromptRun.Extracted proposal = PromptRun.extract(reply.text(), best.prompt());
                Evaluation eval = run.evaluate(proposal.prompt());
                boolean better = eval.correct() > best.evalCorrect();
                Candidate c = run.record(new Candidate(run.nextId(), best.id(), step, "propose", proposal.prompt(),
                        best.evalAfter(), eval.accuracy(), eval.correct(), better, 0, List.of(), request, reply.text(),
                        proposal.note(), eval.items(), null, null));
                scored.add(c);
                if (better) best = c;
                run.metric("eval/candidate", c.id(), eval.accuracy());
            }
            run.metric("eval/best", step, best.evalAfter());
            run.budget(step);
        }
        return run.finish(stop);
    }

    private List<TaskItem> exemplars(Random rng) {
        List<TaskItem> copy = new ArrayList<>(task.train());
        Collections.shuffle(copy, rng);
        return copy.subList(0, Math.min(settings.exemplars(), copy.size()));
    }

    /** OPRO's meta-prompt: scored instructions in ascending order, then exemplars, then the request. */
    String metaPrompt(List<Candidate> scored, List<TaskItem> exemplars) {
        List<Candidate> top = new ArrayList<>(scored);
        top.sort(Comparator.comparingDouble(Candidate::evalAfter).reversed());
        top = new ArrayList<>(top.subList(0, Math.min(settings.historySize(), top.size())));
        Collections.reverse(top);
        StringBuilder sb = new StringBuilder("Your task is to generate the instruction <INS>. Below are some previous "
                + "instructions with their scores. The score ranges from 0 to 100.\n\n");
        for (Candidate c : top)
            sb.append("text:\n").append(c.prompt()).append("\nscore:\n")
                    .append(String.format(Locale.ROOT, "%.0f", 100 * c.evalAfter())).append("\n\n");
        sb.append("Below are some problems.\n\n");
        for (TaskItem e : exemplars)
            sb.append("input:\nQ: <INS>\n").append(e.question()).append("\nA:\nGround truth answer:\n").append(e.label()).append("\n\n");
        sb.append("Generate an instruction that is different from all the instructions <INS> above, and has a higher "
                + "score than all the instructions <INS> above. The instruction should begin with <START> and end with "
                + "</START>. The instruction should be concise, effective, and generally applicable to all problems above.");
        return sb.toString();
    }
}
