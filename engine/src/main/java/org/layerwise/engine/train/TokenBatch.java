package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * Token sequences of one batch, right-padded to the longest row. Padding positions are masked out of
 * attention and of the loss.
 */
public record TokenBatch(List<int[]> rows) {
    public TokenBatch {
        if (rows.isEmpty()) throw new IllegalArgumentException("A batch needs at least one sequence");
        rows = List.copyOf(rows);
    }

    public int width() {
        int w = 0;
        for (int[] r : rows) w = Math.max(w, r.length);
        return w;
    }

    /** Real tokens in the batch. */
    public long tokenCount() {
        long n = 0;
        for (int[] r : rows) n += r.length;
        return n;
    }

    /** Next-token predictions the batch holds: each row predicts all its tokens but the first. */
    public long predictionCount() {
        long n = 0;
        for (int[] r : rows) n += Math.max(0, r.length - 1);
        return n;
    }

    /** Token ids [B, T] as int64, padding 0. */
    public NDArray ids(NDManager m) {
        int w = width();
        long[] flat = new long[rows.size() * w];
        for (int b = 0; b < rows.size(); b++) {
            int[] r = rows.get(b);
            for (int i = 0; i < r.length; i++) flat[b * w + i] = r[i];
        }
        return m.create(flat, new Shape(rows.size(), w));
    }

    /** Attention mask [B, T] as int64: 1 for real tokens, 0 for padding. */
    public NDArray mask(NDManager m) {
        int w = width();
        long[] flat = new long[rows.size() * w];
        for (int b = 0; b < rows.size(); b++) {
            for (int i = 0; i < rows.get(b).length; i++) flat[b * w + i] = 1;
        }
        return m.create(flat, new Shape(rows.size(), w));
    }
}
