package org.layerwise.probeedit.method.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.layerwise.engine.model.ContinuationScore;
import org.layerwise.engine.model.GenerationConfig;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.Taps;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.tokenizer.Encoding;

import java.util.ArrayList;
import java.util.List;

/**
 * The edit metrics of the method note §3 for one record on the (edited) model.
 * CounterFact: ES, GS, LS compare the mean-token NLL of the new and the true answer (share of prompts where
 * the new one wins, resp. the true one for neighbours); magnitudes are mean P(new) − P(true) with
 * P = exp(−mean-token NLL) (neighbours: P(true) − P(new)); fluency is the n-gram entropy of greedy
 * generations. zsRE: teacher-forced per-token top-1 accuracy of the new answer after the prompt (ES) and the
 * rephrase (GS), and of loc_ans after loc (LS).
 */
public final class EditEvaluation {
    /** Metrics of one record (fractions in [0, 1]; NaN when the record has no such prompts). */
    public record RecordResult(String caseId, double es, double gs, double ls, double em, double pm, double nm, double fluency) {}

    /** Means over records in percent; Score is the harmonic mean of ES, GS and LS. */
    public record Summary(int records, double es, double gs, double ls, double score, double em, double pm, double nm, double fluency) {
        public static Summary of(List<RecordResult> rs) {
            double es = 100 * mean(rs, RecordResult::es), gs = 100 * mean(rs, RecordResult::gs), ls = 100 * mean(rs, RecordResult::ls);
            return new Summary(rs.size(), es, gs, ls, harmonic(es, gs, ls), 100 * mean(rs, RecordResult::em),
                    100 * mean(rs, RecordResult::pm), 100 * mean(rs, RecordResult::nm), mean(rs, RecordResult::fluency));
        }

        private static double mean(List<RecordResult> rs, java.util.function.ToDoubleFunction<RecordResult> f) {
            return rs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
        }
    }

    public static final int FLUENCY_TOKENS = 24;

    private EditEvaluation() {}

    public static double harmonic(double... xs) {
        double s = 0;
        for (double x : xs) {
            if (Double.isNaN(x)) return Double.NaN;
            if (x <= 0) return 0;
            s += 1 / x;
        }
        return xs.length / s;
    }

    public static RecordResult evaluate(TransformerModel model, EvalRecord rec, boolean fluency) {
        return rec.format() == EvalRecord.Format.ZSRE ? zsre(model, rec) : counterfact(model, rec, fluency);
    }

    private static RecordResult counterfact(TransformerModel model, EvalRecord rec, boolean fluency) {
        String neu = " " + rec.request().targetNew(), tru = " " + rec.request().targetTrue();
        double[] rw = compare(model, List.of(rec.request().text()), neu, tru);
        double[] para = compare(model, rec.paraphrases(), neu, tru);
        double[] neigh = {Double.NaN, Double.NaN};
        if (!rec.neighbourhood().isEmpty()) {
            double wins = 0, margin = 0;
            for (int i = 0; i < rec.neighbourhood().size(); i++) {
                double[] c = compare(model, List.of(rec.neighbourhood().get(i)), " " + rec.neighbourhoodAnswers().get(i), neu);
                wins += c[0];
                margin += c[1];
            }
            neigh = new double[] {wins / rec.neighbourhood().size(), margin / rec.neighbourhood().size()};
        }
        double flu = Double.NaN;
        if (fluency && !rec.generationPrompts().isEmpty()) {
            List<String> texts = new ArrayList<>();
            for (String p : rec.generationPrompts())
                texts.add(p + model.generate(p, GenerationConfig.greedy(FLUENCY_TOKENS), null).text());
            flu = NgramEntropy.of(texts);
        }
        return new RecordResult(rec.request().caseId(), rw[0], para[0], neigh[0], rw[1], para[1], neigh[1], flu);
    }

    /** Share of prompts where {@code a} has the lower mean-token NLL, and mean P(a) − P(b). */
    static double[] compare(TransformerModel model, List<String> prompts, String a, String b) {
        if (prompts.isEmpty()) return new double[] {Double.NaN, Double.NaN};
        double wins = 0, margin = 0;
        for (String p : prompts) {
            List<ContinuationScore> s = model.scoreContinuations(p, List.of(a, b));
            double la = s.get(0).meanLogProb(), lb = s.get(1).meanLogProb();
            if (la > lb) wins++;
            margin += Math.exp(la) - Math.exp(lb);
        }
        return new double[] {wins / prompts.size(), margin / prompts.size()};
    }

    private static RecordResult zsre(TransformerModel model, EvalRecord rec) {
        String neu = rec.request().targetNew();
        double es = tokenAccuracy(model, rec.request().text(), neu);
        double gs = rec.paraphrases().stream().mapToDouble(p -> tokenAccuracy(model, p, neu)).average().orElse(Double.NaN);
        double ls = 0;
        for (int i = 0; i < rec.neighbourhood().size(); i++) ls += tokenAccuracy(model, rec.neighbourhood().get(i), rec.neighbourhoodAnswers().get(i));
        ls = rec.neighbourhood().isEmpty() ? Double.NaN : ls / rec.neighbourhood().size();
        return new RecordResult(rec.request().caseId(), es, gs, ls, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /** Teacher-forced share of the answer's tokens (after a space) that are the top-1 prediction. */
    public static double tokenAccuracy(TransformerModel model, String prompt, String answer) {
        Encoding e = model.encode(prompt + " " + answer);
        int first = -1;
        for (int i = 0; i < e.length(); i++) if (e.charEnds()[i] > prompt.length()) { first = i; break; }
        if (first < 1) return Double.NaN;
        try (NDManager m = NDManager.newBaseManager(model.djlDevice()); GradMode off = GradMode.off()) {
            NDArray logits = model.forward(m, e.ids(), Taps.none());
            long[] argmax = logits.get((first - 1) + ":" + (e.length() - 1)).argMax(1).toLongArray();
            int hits = 0;
            for (int j = 0; j < argmax.length; j++) if (argmax[j] == e.ids()[first + j]) hits++;
            return (double) hits / argmax.length;
        }
    }
}
