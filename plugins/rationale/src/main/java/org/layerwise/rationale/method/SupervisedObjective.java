package org.layerwise.rationale.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.layerwise.engine.model.Taps;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.train.TrainingObjective;

/**
 * Supervised fine-tuning with a loss mask: {@code Σ weight · (−log p(next token))} over the batch, divided (by the
 * {@link org.layerwise.engine.train.Trainer}) by the batch's normaliser. Weights come from
 * {@link TrainingExamples}: 1 on target tokens for a per-token mean, {@code w/|label|} and
 * {@code (1−w)/|rationale|} for the align loss.
 */
public final class SupervisedObjective implements TrainingObjective<SupervisedBatch> {
    private final TransformerModel model;

    public SupervisedObjective(TransformerModel model) { this.model = model; }

    @Override
    public NDArray lossSum(NDManager scope, SupervisedBatch batch) {
        NDArray ids = batch.ids(scope).toDevice(model.djlDevice(), false);
        NDArray mask = batch.mask(scope).toDevice(model.djlDevice(), false);
        NDArray logits = model.forward(scope, ids, mask, Taps.none());
        NDArray logp = logits.get(":, :-1, :").logSoftmax(2);
        NDArray picked = logp.gather(ids.get(":, 1:").expandDims(2), 2).squeeze(2);      // [B, T-1]
        NDArray weights = batch.lossWeights(scope).toDevice(model.djlDevice(), false);
        // select rather than multiply: 0 · (−inf) on a padding position would be NaN
        NDArray used = weights.gt(0);
        return ai.djl.ndarray.NDArrays.where(used, picked, picked.zerosLike()).mul(weights).sum().neg();
    }

    @Override public long weight(SupervisedBatch batch) { return batch.normaliser(); }

    @Override public long tokens(SupervisedBatch batch) { return batch.tokenCount(); }
}
