package org.layerwise.rationale.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/**
 * Token rows with a loss weight per predicted position: {@code weights.get(r)[i]} weighs the prediction of token
 * {@code i + 1} of row {@code r} (0 for prompt tokens, which are never trained). {@code normaliser} is what the
 * weighted sum is divided by: the target-token count for a per-token mean, the example count when each example's
 * weights already sum to 1 (the align loss).
 */
public record SupervisedBatch(List<int[]> rows, List<float[]> weights, long normaliser) {
    public SupervisedBatch {
        if (rows.isEmpty() || rows.size() != weights.size())
            throw new IllegalArgumentException("a supervised batch needs one weight row per token row, got "
                    + rows.size() + " and " + weights.size());
        for (int r = 0; r < rows.size(); r++)
            if (weights.get(r).length != rows.get(r).length - 1)
                throw new IllegalArgumentException("row " + r + " has " + rows.get(r).length + " tokens but "
                        + weights.get(r).length + " weights; it needs one per predicted token (tokens - 1)");
        rows = List.copyOf(rows);
        weights = List.copyOf(weights);
    }

    public int width() {
        int w = 0;
        for (int[] r : rows) w = Math.max(w, r.length);
        return w;
    }

    public long tokenCount() {
        long n = 0;
        for (int[] r : rows) n += r.length;
        return n;
    }

    /** Ids [B, T] (int64, right-padded with 0) and attention mask [B, T]. */
    public NDArray ids(NDManager m) { return grid(m, false); }

    public NDArray mask(NDManager m) { return grid(m, true); }

    private NDArray grid(NDManager m, boolean mask) {
        int w = width();
        long[] flat = new long[rows.size() * w];
        for (int b = 0; b < rows.size(); b++) {
            int[] r = rows.get(b);
            for (int i = 0; i < r.length; i++) flat[b * w + i] = mask ? 1 : r[i];
        }
        return m.create(flat, new Shape(rows.size(), w));
    }

    /** Weights [B, T-1] (float32) of predicting token t+1 from position t; 0 on padding. */
    public NDArray lossWeights(NDManager m) {
        int w = Math.max(1, width() - 1);
        float[] flat = new float[rows.size() * w];
        for (int b = 0; b < rows.size(); b++) System.arraycopy(weights.get(b), 0, flat, b * w, weights.get(b).length);
        return m.create(flat, new Shape(rows.size(), w));
    }
}
