package org.layerwise.rationale.method;

import org.layerwise.engine.data.nlu.NluPrompt;
import org.layerwise.engine.data.nlu.NluRecord;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.llm.BackendException;
import org.layerwise.engine.llm.ChatMessage;
import org.layerwise.engine.llm.Completion;
import org.layerwise.engine.llm.CompletionOptions;
import org.layerwise.engine.llm.TextBackend;
import org.layerwise.engine.model.ContinuationScore;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates NLU items through a {@link TextBackend} (a local engine model or an HTTP server) in the chosen modes.
 * Log-likelihood modes need a backend that scores continuations; generation modes work on any backend.
 */
public final class NluEvaluation {
    /** Token budgets: a direct answer is a few words; the corpus's longest rationale (with its label) is 35 words. */
    public static final int DIRECT_TOKENS = 8, COT_TOKENS = 56;

    private final TextBackend backend;
    private final Set<EvalMode> modes;

    public NluEvaluation(TextBackend backend, Set<EvalMode> modes) {
        if ((modes.contains(EvalMode.DIRECT_LL) || modes.contains(EvalMode.DIRECT_LL_NORM)) && !backend.supportsLogLikelihood())
            throw new IllegalArgumentException(backend.name() + " cannot score label log-likelihoods; evaluate it in the "
                    + "generation modes (direct-gen, cot)");
        this.backend = backend;
        this.modes = Set.copyOf(modes);
    }

    /** Every item in every mode; progress and cancellation through {@code ctx} (may be null). */
    public List<ItemResult> run(List<NluRecord> records, JobContext ctx) throws BackendException {
        List<ItemResult> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (ctx != null) {
                ctx.checkCancelled();
                if (i % 10 == 0) ctx.progress((double) i / records.size(), "item " + i + "/" + records.size());
            }
            out.add(item(records.get(i)));
        }
        return out;
    }

    public ItemResult item(NluRecord r) throws BackendException {
        Map<EvalMode, Answer> answers = new EnumMap<>(EvalMode.class);
        List<String> options = r.options();
        if (modes.contains(EvalMode.DIRECT_LL) || modes.contains(EvalMode.DIRECT_LL_NORM)) {
            if (options.isEmpty())
                throw new IllegalArgumentException("item " + r.id() + " lists no options (text_c); log-likelihood modes need them");
            List<String> continuations = options.stream().map(o -> " " + o).toList();
            List<ContinuationScore> scores = backend.logLikelihoods(NluPrompt.direct(r), continuations);
            if (modes.contains(EvalMode.DIRECT_LL)) answers.put(EvalMode.DIRECT_LL, pick(r, options, scores, false));
            if (modes.contains(EvalMode.DIRECT_LL_NORM)) answers.put(EvalMode.DIRECT_LL_NORM, pick(r, options, scores, true));
        }
        if (modes.contains(EvalMode.DIRECT_GEN)) {
            Completion c = backend.complete(List.of(ChatMessage.user(NluPrompt.direct(r))),
                    CompletionOptions.greedy(DIRECT_TOKENS).withStop(List.of("\n")));
            answers.put(EvalMode.DIRECT_GEN, judgeDirect(r, c.text()));
        }
        if (modes.contains(EvalMode.COT)) {
            Completion c = backend.complete(List.of(ChatMessage.user(NluPrompt.cot(r))), CompletionOptions.greedy(COT_TOKENS));
            answers.put(EvalMode.COT, judgeCot(r, c.text()));
        }
        return new ItemResult(r.id(), r.task(), r.label(), NluPrompt.body(r), r.rationale(), answers);
    }

    /** The best-scoring option: by summed log-probability, or (normalised) per character as lm-eval's acc_norm. */
    static Answer pick(NluRecord r, List<String> options, List<ContinuationScore> scores, boolean normalised) {
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        StringBuilder output = new StringBuilder();
        for (int i = 0; i < scores.size(); i++) {
            double v = scores.get(i).logProb();
            if (normalised) v /= Math.max(1, options.get(i).length());
            output.append(options.get(i)).append('=').append(String.format(java.util.Locale.ROOT, "%.3f", v)).append(' ');
            if (v > bestValue) { bestValue = v; best = i; }
        }
        String p = options.get(best);
        return new Answer(normalised ? EvalMode.DIRECT_LL_NORM : EvalMode.DIRECT_LL, p, same(p, r.label()), false, output.toString().strip());
    }

    /** A generated direct answer: its first line, normalised; a format error when it names no option. */
    static Answer judgeDirect(NluRecord r, String text) {
        String line = text.strip();
        int nl = line.indexOf('\n');
        if (nl >= 0) line = line.substring(0, nl);
        String p = NluPrompt.clean(line);
        boolean known = r.options().isEmpty() ? !p.isEmpty() : r.options().stream().anyMatch(o -> same(o, p));
        return new Answer(EvalMode.DIRECT_GEN, known ? p : null, known && same(p, r.label()), !known, text);
    }

    /** A generated rationale: the answer after the answer phrase; a format error without the phrase or answer. */
    static Answer judgeCot(NluRecord r, String text) {
        var extracted = NluPrompt.extract(text);
        if (extracted.isEmpty()) return new Answer(EvalMode.COT, null, false, true, text);
        String p = extracted.get();
        return new Answer(EvalMode.COT, p, same(p, r.label()), false, text);
    }

    static boolean same(String a, String b) { return NluPrompt.clean(a).equals(NluPrompt.clean(b)); }
}
