package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * One transformer block. Pre-LN SEQUENTIAL: h = x + attn(norm1 x); out = h + mlp(norm2 h).
 * Pre-LN PARALLEL (GPT-J): out = x + attn(norm1 x) + mlp(norm1 x).
 * Post-LN (BERT): h = norm1(x + attn x); out = norm2(h + mlp h).
 */
final class Block {
    private final boolean parallel;
    private final boolean post;
    private final Norm norm1;
    private final Norm norm2;
    private final Attention attention;
    private final Mlp mlp;
    private final String residPre, attnOut, residPost;

    Block(int layer, boolean parallel, boolean post, Norm norm1, Norm norm2, Attention attention, Mlp mlp) {
        this.parallel = parallel;
        this.post = post;
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
        NDArray out;
        if (post) {
            NDArray h = norm1.apply(x.add(pass.tap(attnOut, attention.forward(x, pass))));
            out = norm2.apply(h.add(mlp.forward(h, pass)));
            return pass.tap(residPost, out);
        }
        NDArray h = norm1.apply(x);
        NDArray a = pass.tap(attnOut, attention.forward(h, pass));
        if (parallel) {
            out = x.add(a).add(mlp.forward(h, pass));
        } else {
            NDArray mid = x.add(a);
            out = mid.add(mlp.forward(norm2.apply(mid), pass));
        }
        return pass.tap(residPost, out);
    }
}
