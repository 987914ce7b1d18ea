package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Map;

/**
 * What a {@link Trainer} minimises, over batches of type {@code B}. The loss of a step is
 * {@code Σ lossSum(batch) / Σ weight(batch)} over its micro-batches, so accumulating k micro-batches
 * gives the same gradient as one batch holding all of them (for a language model: the mean over every
 * predicted token of the step, whatever the padding).
 */
public interface TrainingObjective<B> {
    /** The summed (not averaged) loss of the batch as a float32 scalar, attached to {@code scope}, with autograd. */
    NDArray lossSum(NDManager scope, B batch);

    /** How many loss terms {@link #lossSum} adds up (e.g. predicted, non-padding tokens); known without running. */
    long weight(B batch);

    /** Tokens the batch feeds through the model, for the tokens/s metric. */
    default long tokens(B batch) { return weight(batch); }

    /** Whether the loss is a mean per predicted token, so that exp(loss) is a perplexity (not for cls, sp or a sum of targets). */
    default boolean perTokenLoss() { return true; }

    /**
     * Measures of the batches run since the last call, by metric name (e.g. {@code loss_mlm}, one target's part of a
     * multi-target loss; {@code acc_sp}, a target's accuracy), then forgotten; the trainer reports each under its name
     * after a step and as {@code eval_<name>} after an evaluation.
     */
    default Map<String, Double> drainMeasures() { return Map.of(); }
}
