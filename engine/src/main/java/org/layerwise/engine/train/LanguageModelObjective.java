package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.layerwise.engine.model.TokenModel;

/**
 * Causal language modelling: cross entropy of each next token given the tokens before it, in float32,
 * with padding masked out. Works for any causal {@link TokenModel} (transformer or recurrent).
 */
public final class LanguageModelObjective implements TrainingObjective<TokenBatch> {
    private final TokenModel model;

    public LanguageModelObjective(TokenModel model) {
        if (model.bidirectional())
            throw new IllegalArgumentException("Language modelling (target lm) needs a causal model; " + model.name()
                    + " sees every token (fully visible mask), so it would copy the next token instead of predicting it");
        this.model = model;
    }

    @Override
    public NDArray lossSum(NDManager scope, TokenBatch batch) {
        TokenBatch.Inputs in = batch.inputs(scope, model.djlDevice());
        return sumFromHidden(scope, model.hidden(scope, in.ids(), in.mask(), in.segments()), in.ids(), in.mask());
    }

    /** The summed next-token loss from hidden states [B, T, d] of {@code ids} (shared with {@link MultiTargetObjective}). */
    NDArray sumFromHidden(NDManager scope, NDArray hidden, NDArray ids, NDArray mask) {
        NDArray logits = model.logits(scope, hidden);                                   // [B, T, V] float32
        NDArray logp = logits.get(":, :-1, :").logSoftmax(2);
        NDArray next = ids.get(":, 1:").expandDims(2);
        NDArray picked = logp.gather(next, 2).squeeze(2);                               // [B, T-1]
        NDArray real = mask.get(":, 1:").toType(DataType.FLOAT32, false);
        return picked.mul(real).sum().neg();
    }

    @Override
    public long weight(TokenBatch batch) { return batch.predictionCount(); }

    @Override
    public long tokens(TokenBatch batch) { return batch.tokenCount(); }
}
