package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

/**
 * Multi-head attention with grouped-query heads: each of the {@code kvHeads} key/value heads serves
 * {@code heads / kvHeads} consecutive query heads (Hugging Face's repeat_kv order). Instead of copying the
 * keys, the query heads of one group are stacked along the token axis, so one batched matmul per group
 * covers them. Scores, mask and softmax are float32.
 */
final class Attention {
    private final int layer;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final float scale;
    private final NDArray qkv;
    private final NDArray qkvBias;
    private final NDArray out;
    private final NDArray outBias;
    private final Rotary rotary;

    Attention(int layer, TransformerSpec spec, NDArray qkv, NDArray qkvBias, NDArray out, NDArray outBias, Rotary rotary) {
        this.layer = layer;
        this.heads = spec.heads();
        this.kvHeads = spec.kvHeads();
        this.headDim = spec.headDim();
        this.scale = (float) (1.0 / Math.sqrt(spec.headDim()));
        this.qkv = qkv;
        this.qkvBias = qkvBias;
        this.out = out;
        this.outBias = outBias;
        this.rotary = rotary;
    }

    /** x [B, T, d] → [B, T, d]. */
    NDArray forward(NDArray x, Pass pass) {
        Shape s = x.getShape();
        long b = s.get(0), t = s.get(1);
        NDList parts = linear(x, qkv, qkvBias).split(new long[] {(long) heads * headDim, (long) (heads + kvHeads) * headDim}, 2);
        NDArray q = parts.get(0).reshape(b, t, heads, headDim);
        NDArray k = parts.get(1).reshape(b, t, kvHeads, headDim);
        NDArray v = parts.get(2).reshape(b, t, kvHeads, headDim);
        if (rotary != null) {
            q = rotary.apply(q, pass.cos, pass.sin);
            k = rotary.apply(k, pass.cos, pass.sin);
        }
        q = Scalars.times(q, scale).transpose(0, 2, 1, 3);              // [B, H, T, hd]
        k = k.transpose(0, 2, 1, 3);                                   // [B, K, T, hd]
        v = v.transpose(0, 2, 1, 3);
        if (pass.cache != null) {
            NDArray[] kv = pass.cache.append(layer, k, v);
            k = kv[0];
            v = kv[1];
        }
        long keysLen = k.getShape().get(2);
        int groups = heads / kvHeads;
        NDArray scores = q.reshape(b, kvHeads, groups * t, headDim).matMul(k.transpose(0, 1, 3, 2))
                .toType(DataType.FLOAT32, false).reshape(b, kvHeads, groups, t, keysLen);
        if (pass.mask != null) scores = pass.inPlace ? scores.addi(pass.mask) : scores.add(pass.mask);
        NDArray probs = scores.softmax(-1).toType(x.getDataType(), false).reshape(b, kvHeads, groups * t, keysLen);
        NDArray context = probs.matMul(v)                               // [B, K, G·T, hd]
                .reshape(b, heads, t, headDim).transpose(0, 2, 1, 3).reshape(b, t, (long) heads * headDim);
        return linear(context, out, outBias);
    }

    static NDArray linear(NDArray x, NDArray w, NDArray bias) {
        return (bias == null ? Linear.linear(x, w) : Linear.linear(x, w, bias)).singletonOrThrow();
    }
}
