package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;

/**
 * The classifier of a sentence-level target (TencentPretrain's cls and sp targets, BERT's pooler plus classifier):
 * a dense layer with tanh over the pooled hidden state, then a linear layer to the classes. Weights are laid out as
 * torch's {@code nn.Linear} ([out, in]); they are live parameters of a {@link WithTargetHeads}.
 */
public record SentenceHead(String target, NDArray denseWeight, NDArray denseBias, NDArray outputWeight, NDArray outputBias) {
    /** Parameter names of target {@code t}'s head, in the order of the record. */
    public static String[] names(String t) {
        String p = "target." + t + ".";
        return new String[] {p + "dense.weight", p + "dense.bias", p + "output.weight", p + "output.bias"};
    }

    public int classes() { return (int) outputBias.getShape().get(0); }

    /** Float32 class logits [B, classes] of pooled states [B, width]. */
    public NDArray logits(NDArray pooled) {
        NDArray h = pooled.matMul(denseWeight.transpose()).add(denseBias).tanh();
        return h.matMul(outputWeight.transpose()).add(outputBias);
    }
}
