package org.layerwise.engine.train;

import java.util.List;

/**
 * A batch for a {@link Classifier}: either feature vectors ({@code vectors}, row-major [size, dim]) or token id
 * sequences ({@code tokens}), the class label of each row, and which head (task) scores it.
 */
public record ClassificationBatch(int head, float[] vectors, int dim, List<int[]> tokens, int[] labels) {
    public ClassificationBatch {
        if (vectors == null && tokens == null) throw new IllegalArgumentException("a batch needs vectors or token sequences");
        int rows = vectors != null ? vectors.length / Math.max(1, dim) : tokens.size();
        if (rows != labels.length)
            throw new IllegalArgumentException("the batch has " + rows + " inputs but " + labels.length + " labels");
    }

    public static ClassificationBatch ofVectors(int head, float[] vectors, int dim, int[] labels) {
        return new ClassificationBatch(head, vectors, dim, null, labels);
    }

    public static ClassificationBatch ofTokens(int head, List<int[]> tokens, int[] labels) {
        return new ClassificationBatch(head, null, 0, tokens, labels);
    }

    public int size() { return labels.length; }

    /** Row i alone (for per-sample gradients). */
    public ClassificationBatch row(int i) {
        if (vectors != null) {
            float[] v = new float[dim];
            System.arraycopy(vectors, i * dim, v, 0, dim);
            return ofVectors(head, v, dim, new int[]{labels[i]});
        }
        return ofTokens(head, List.of(tokens.get(i)), new int[]{labels[i]});
    }
}
