package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * One pre-norm transformer block. SEQUENTIAL: h = x + attn(norm1 x); out = h + mlp(norm2 h).
 * PARALLEL (GPT-J): out = x + attn(norm1 x) + mlp(norm1 x).
 */
final class Block {
    private final boolean parallel;
    private final Norm norm1;
    private final Norm norm2;
    private final Attention attention;
    private final Mlp mlp;
    private final String residPre, attnOut, residPost;

    Block(int layer, boolean parallel, Norm norm1, Norm norm2, Attention attention, Mlp mlp) {
        this.parallel = parallel;
        this.norm1 = norm1;
        this.norm2 = norm2;
        this.attention = attention;
        this.mlp = mlp;
        this.residPre = Taps.residPre(layer);
        this.attnOut = Taps.attnOut(layer);
        this.residPost = Taps.residPost(layer);
    }

    NDArray forward(NDArray x, Pass pass) {
        x = pass.tap(residPre, x);
        NDArray h = norm1.apply(x);
        NDArray a = pass.tap(attnOut, attention.forward(h, pass));
        NDArray out;
        if (parallel) {
            out = x.add(a).add(mlp.forward(h, pass));
        } else {
            NDArray mid = x.add(a);
            out = mid.add(mlp.forward(norm2.apply(mid), pass));
        }
        return pass.tap(residPost, out);
    }
}
