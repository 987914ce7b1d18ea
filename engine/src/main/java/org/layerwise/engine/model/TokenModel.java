package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A trainable model over one token sequence: hidden states per position, and vocabulary logits from them. The
 * pretraining targets (lm, mlm, cls, sp) are written against this, so a transformer and a recurrent encoder train
 * with the same objectives. Results are attached to the caller's scope and recorded by autograd when it is on.
 */
public interface TokenModel extends TrainableModel {
    /** Whether a position sees the tokens after it (an encoder with a fully visible mask). */
    boolean bidirectional();

    int vocabSize();

    /** Width of the hidden states. */
    int width();

    /** Longest sequence the model takes. */
    int maxPositions();

    /**
     * Final hidden states [B, T, width] (after the final norm, when the model has one).
     *
     * @param ids      token ids [B, T]
     * @param mask     [B, T], 1 for real tokens and 0 for padding, or null
     * @param segments [B, T] segment ids (1 for sentence A, 2 for sentence B, 0 for padding), or null
     */
    NDArray hidden(NDManager scope, NDArray ids, NDArray mask, NDArray segments);

    /** Float32 vocabulary logits [..., vocab] of hidden states [..., width] (the LM head). */
    NDArray logits(NDManager scope, NDArray hidden);
}
