package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.TokenModel;

import java.util.Map;

/**
 * TencentPretrain's cls target: the sequence's hidden states are pooled to one vector ({@link Pooling}), a
 * {@link SentenceHead} (dense + tanh, then linear) gives class logits, and the loss is the cross entropy with the
 * batch's labels, in float32. {@link #lossSum} adds one term per example ({@link #weight} = examples), so a step's
 * loss is the mean over its examples. Training and evaluation accuracy are reported as the measure
 * {@code acc_<target>}.
 */
public class SentenceClassificationObjective implements TrainingObjective<TokenBatch> {
    private final TokenModel model;
    private final SentenceHead head;
    private final Pooling pooling;
    private long correct, seen;

    public SentenceClassificationObjective(TokenModel model, SentenceHead head, Pooling pooling) {
        this.model = model;
        this.head = head;
        this.pooling = pooling;
    }

    /** The target's name (cls, sp): the suffix of its loss part and accuracy measure. */
    public String target() { return head.target(); }

    @Override
    public NDArray lossSum(NDManager scope, TokenBatch batch) {
        return rowLosses(scope, batch, forward(scope, batch)).sum();
    }

    /** Hidden states of the batch's ids with its mask and segments. */
    private NDArray forward(NDManager scope, TokenBatch batch) {
        TokenBatch.Inputs in = batch.inputs(scope, model.djlDevice());
        return model.hidden(scope, in.ids(), in.mask(), in.segments());
    }

    /** Class logits [B, classes] from the hidden states of the batch. */
    NDArray classLogits(NDManager scope, TokenBatch batch, NDArray hidden) {
        return head.logits(pooling.pool(scope, batch, hidden));
    }

    /** Cross entropy per example [B] from the hidden states; counts the correct predictions for the accuracy. */
    NDArray rowLosses(NDManager scope, TokenBatch batch, NDArray hidden) {
        checkLabels(batch);
        NDArray labels = batch.labels(scope).toDevice(model.djlDevice(), false);
        NDArray logits = classLogits(scope, batch, hidden);
        try (GradMode off = GradMode.off()) {
            correct += logits.argMax(1).toType(DataType.INT64, false).eq(labels).sum().toType(DataType.INT64, false).getLong();
            seen += batch.rows().size();
        }
        return logits.logSoftmax(1).gather(labels.expandDims(1), 1).squeeze(1).neg();
    }

    /** The predicted class of every example of the batch, without gradients. */
    public int[] predictions(NDManager scope, TokenBatch batch) {
        try (GradMode off = GradMode.off()) {
            long[] p = classLogits(scope, batch, forward(scope, batch)).argMax(1)
                    .toType(DataType.INT64, false).toLongArray();
            int[] out = new int[p.length];
            for (int i = 0; i < p.length; i++) out[i] = (int) p[i];
            return out;
        }
    }

    private void checkLabels(TokenBatch batch) {
        if (batch.labels() == null)
            throw new IllegalArgumentException("Target " + target() + " needs a label per example, but the batch has none");
        for (int l : batch.labels())
            if (l < 0 || l >= head.classes())
                throw new IllegalArgumentException("Target " + target() + " got label " + l + ", outside its " + head.classes()
                        + " classes (0 to " + (head.classes() - 1) + ")");
    }

    @Override
    public long weight(TokenBatch batch) { return batch.rows().size(); }

    @Override
    public long tokens(TokenBatch batch) { return batch.tokenCount(); }

    @Override
    public Map<String, Double> drainMeasures() {
        if (seen == 0) return Map.of();
        Map<String, Double> out = Map.of("acc_" + target(), (double) correct / seen);
        correct = 0;
        seen = 0;
        return out;
    }

    /** A sentence-level or summed loss: exp of it is no perplexity. */
    @Override
    public boolean perTokenLoss() { return false; }
}
