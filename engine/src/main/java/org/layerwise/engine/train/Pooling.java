package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.layerwise.engine.model.TokenModel;

import java.util.Locale;

/**
 * How a sentence-level target (cls, sp) reduces a sequence's hidden states to one vector, as TencentPretrain's
 * {@code pooling} option: the first position ([CLS], for a bidirectional encoder that sees the whole sequence from
 * there), the last real token (for a causal model, the only position that has read every token), or the mean over
 * the real tokens.
 */
public enum Pooling {
    FIRST, LAST, MEAN;

    /** {@code auto} picks FIRST for a bidirectional model and LAST for a causal one; else the named kind. */
    public static Pooling of(String name, TokenModel model) {
        return of(name, model, true);
    }

    /**
     * As {@link #of(String, TokenModel)}, but {@code auto} picks FIRST for a bidirectional model only when every
     * sequence starts with a special token ([CLS]) that nothing else claims; otherwise MEAN. The first word of a
     * sentence is a poor summary: mlm masks and predicts it, and with [mlm, sp] on a tokenizer without [CLS] sp then
     * stayed at chance in 900 steps where mean pooling reached 72% (docs/guide/builder.md).
     */
    public static Pooling of(String name, TokenModel model, boolean leadingSpecialToken) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("auto")) return !model.bidirectional() ? LAST : leadingSpecialToken ? FIRST : MEAN;
        for (Pooling p : values()) if (p.name().toLowerCase(Locale.ROOT).equals(n)) return p;
        throw new IllegalArgumentException("pooling '" + name + "' is not a choice; choose auto, first, last or mean");
    }

    /**
     * One vector per row, [B, width], from hidden states [B, T, width]. The pooling is a weighted sum over positions
     * with weights known from the row lengths alone, so one differentiable op serves all three kinds.
     */
    public NDArray pool(NDManager scope, TokenBatch batch, NDArray hidden) {
        int rows = batch.rows().size(), w = batch.width();
        float[] weights = new float[rows * w];
        for (int b = 0; b < rows; b++) {
            int n = batch.rows().get(b).length;
            switch (this) {
                case FIRST -> weights[b * w] = 1;
                case LAST -> weights[b * w + n - 1] = 1;
                case MEAN -> { for (int i = 0; i < n; i++) weights[b * w + i] = 1f / n; }
            }
        }
        NDArray weight = scope.create(weights, new Shape(rows, w, 1)).toDevice(hidden.getDevice(), false);
        return hidden.mul(weight).sum(new int[] {1});
    }
}
