package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.layerwise.engine.model.Scalars;
import org.layerwise.engine.model.TokenModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several targets trained at once on one forward pass, as TencentPretrain does (BERT: mlm + sp): the batch goes
 * through the model once (with the masked input when mlm is among the targets, so sp sees the masked pair as in
 * BERT), each target computes its own mean loss over the batch from the shared hidden states, and the loss is their
 * sum, Σ_t mean_t.
 *
 * <p>The Trainer's contract is loss = Σ lossSum / Σ weight over a step's micro-batches. Here a micro-batch has weight
 * 1 and lossSum = Σ_t mean_t, so a step's loss is the mean over its micro-batches of the summed per-target means
 * (each target is normalised by its own count: predicted tokens, masked tokens, examples). Each target's mean is
 * also reported as the measure {@code loss_<target>}, and cls/sp accuracy as {@code acc_<target>}.
 * mlm predicts through the model's {@link MlmHead} when it carries one (see {@link MaskedLanguageModelObjective}).
 */
public final class MultiTargetObjective implements TrainingObjective<TokenBatch> {
    private final TokenModel model;
    private final LanguageModelObjective lm;
    private final MaskedLanguageModelObjective mlm;
    private final List<SentenceClassificationObjective> sentences;
    private final Map<String, double[]> parts = new LinkedHashMap<>();   // name → {sum of means, batches}

    /**
     * @param targets the single-target objectives (lm, mlm, cls, sp) over {@code model}; at most one lm and one mlm,
     *                not both (a causal and a bidirectional target cannot share one pass)
     */
    public MultiTargetObjective(TokenModel model, List<TrainingObjective<TokenBatch>> targets) {
        LanguageModelObjective l = null;
        MaskedLanguageModelObjective m = null;
        List<SentenceClassificationObjective> s = new ArrayList<>();
        for (TrainingObjective<TokenBatch> t : targets) {
            if (t instanceof LanguageModelObjective x) {
                if (l != null) throw new IllegalArgumentException("target lm is listed twice");
                l = x;
            } else if (t instanceof MaskedLanguageModelObjective x) {
                if (m != null) throw new IllegalArgumentException("target mlm is listed twice");
                m = x;
            } else if (t instanceof SentenceClassificationObjective x) {
                for (SentenceClassificationObjective o : s)
                    if (o.target().equals(x.target())) throw new IllegalArgumentException("target " + x.target() + " is listed twice");
                s.add(x);
            } else {
                throw new IllegalArgumentException("A multi-target objective combines lm, mlm, cls and sp, not " + t.getClass().getSimpleName());
            }
        }
        if (l != null && m != null)
            throw new IllegalArgumentException("lm needs a causal model and mlm a bidirectional one; they cannot train on one stack together");
        if (targets.isEmpty()) throw new IllegalArgumentException("Give at least one target");
        this.model = model;
        this.lm = l;
        this.mlm = m;
        this.sentences = List.copyOf(s);
    }

    /** The targets' names in the order their parts are reported. */
    public List<String> targets() {
        List<String> out = new ArrayList<>();
        if (lm != null) out.add("lm");
        if (mlm != null) out.add("mlm");
        for (SentenceClassificationObjective s : sentences) out.add(s.target());
        return out;
    }

    @Override
    public NDArray lossSum(NDManager scope, TokenBatch batch) {
        TokenBatch.Inputs in = batch.inputs(scope, model.djlDevice());
        MaskedLanguageModelObjective.Masking masking = mlm == null ? null : mlm.masking(batch);   // drawn once per batch
        NDArray input = masking == null ? in.ids() : mlm.onDevice(scope, batch, masking.input());
        NDArray hidden = model.hidden(scope, input, in.mask(), in.segments());
        NDArray total = null;
        if (lm != null && batch.predictionCount() > 0)
            total = add(total, "lm", Scalars.over(lm.sumFromHidden(scope, hidden, in.ids(), in.mask()), batch.predictionCount()));
        if (mlm != null)
            total = add(total, "mlm", Scalars.over(mlm.sumFromHidden(scope, hidden, in.ids(),
                    mlm.onDevice(scope, batch, masking.chosen())), masking.count()));
        for (SentenceClassificationObjective s : sentences)
            total = add(total, s.target(), s.rowLosses(scope, batch, hidden).mean());
        if (total == null) throw new IllegalArgumentException("The batch gives no target anything to predict (every row is a single token)");
        return total;
    }

    private NDArray add(NDArray total, String name, NDArray mean) {
        double[] p = parts.computeIfAbsent(name, k -> new double[2]);
        p[0] += mean.getFloat();
        p[1]++;
        return total == null ? mean : total.add(mean);
    }

    /** One per micro-batch: {@link #lossSum} is already a sum of per-target means. */
    @Override
    public long weight(TokenBatch batch) { return 1; }

    @Override
    public long tokens(TokenBatch batch) { return batch.tokenCount(); }

    /** Each target's mean loss since the last call ({@code loss_<target>}), then the sentence targets' accuracies. */
    @Override
    public Map<String, Double> drainMeasures() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : parts.entrySet()) out.put("loss_" + e.getKey(), e.getValue()[0] / e.getValue()[1]);
        parts.clear();
        for (SentenceClassificationObjective s : sentences) out.putAll(s.drainMeasures());
        return out;
    }

    /** A sentence-level or summed loss: exp of it is no perplexity. */
    @Override
    public boolean perTokenLoss() { return false; }
}
