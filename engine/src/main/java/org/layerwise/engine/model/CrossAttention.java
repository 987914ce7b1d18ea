package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * T5's attention: separate q, k, v and o projections; queries from {@code x}, keys and values from {@code memory}
 * (x itself for self-attention, the encoder output for cross-attention). Scores are not scaled by 1/√d_kv (T5 folds
 * that into the initialisation); the additive float32 bias (relative positions plus masks) is added before a float32
 * softmax.
 */
final class CrossAttention {
    private final int heads;
    private final int headDim;
    private final NDArray q, qBias, k, kBias, v, vBias, o, oBias;

    CrossAttention(int heads, int headDim, NDArray q, NDArray qBias, NDArray k, NDArray kBias, NDArray v, NDArray vBias,
                   NDArray o, NDArray oBias) {
        this.heads = heads;
        this.headDim = headDim;
        this.q = q;
        this.qBias = qBias;
        this.k = k;
        this.kBias = kBias;
        this.v = v;
        this.vBias = vBias;
        this.o = o;
        this.oBias = oBias;
    }

    /**
     * @param x      queries' input [B, Tq, d]
     * @param memory keys' and values' input [B, Tk, d]
     * @param bias   additive float32 scores bias broadcastable to [B, heads, Tq, Tk], or null
     */
    NDArray forward(NDArray x, NDArray memory, NDArray bias) {
        Shape s = x.getShape();
        long b = s.get(0), tq = s.get(1), tk = memory.getShape().get(1);
        NDArray query = Attention.linear(x, q, qBias).reshape(b, tq, heads, headDim).transpose(0, 2, 1, 3);
        NDArray key = Attention.linear(memory, k, kBias).reshape(b, tk, heads, headDim).transpose(0, 2, 3, 1);
        NDArray value = Attention.linear(memory, v, vBias).reshape(b, tk, heads, headDim).transpose(0, 2, 1, 3);
        NDArray scores = query.matMul(key).toType(DataType.FLOAT32, false);                 // [B, H, Tq, Tk]
        if (bias != null) scores = scores.add(bias);
        NDArray probs = scores.softmax(-1).toType(x.getDataType(), false);
        NDArray context = probs.matMul(value).transpose(0, 2, 1, 3).reshape(b, tq, (long) heads * headDim);
        return Attention.linear(context, o, oBias);
    }
}
