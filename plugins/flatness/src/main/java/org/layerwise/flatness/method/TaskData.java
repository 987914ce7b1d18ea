package org.layerwise.flatness.method;

import org.layerwise.engine.train.ClassificationBatch;

import java.util.ArrayList;
import java.util.List;

/**
 * One task of a sequence: its class names and its train / validation / test examples, each either a feature
 * vector or a token sequence, labelled by the class index within the task. {@code offset} is the index of the
 * task's first class among all classes of the sequence (its label in class-incremental mode).
 */
public record TaskData(String name, List<String> classes, int offset, Split train, Split validation, Split test) {
    /** Examples: vectors row-major [n, dim] (or null), tokens (or null), labels. */
    public record Split(float[] vectors, int dim, List<int[]> tokens, int[] labels) {
        public int size() { return labels.length; }

        /** Rows {@code index} as a batch for {@code head}; {@code labelOffset} is added to every label. */
        public ClassificationBatch batch(int head, int[] index, int labelOffset) {
            int[] y = new int[index.length];
            for (int i = 0; i < index.length; i++) y[i] = labels[index[i]] + labelOffset;
            if (vectors != null) {
                float[] x = new float[index.length * dim];
                for (int i = 0; i < index.length; i++) System.arraycopy(vectors, index[i] * dim, x, i * dim, dim);
                return ClassificationBatch.ofVectors(head, x, dim, y);
            }
            List<int[]> t = new ArrayList<>(index.length);
            for (int i : index) t.add(tokens.get(i));
            return ClassificationBatch.ofTokens(head, t, y);
        }

        public Split select(int[] index) {
            ClassificationBatch b = batch(0, index, 0);
            return new Split(b.vectors(), dim, b.tokens(), b.labels());
        }

        /** Batches of at most {@code size} rows in order (for evaluation). */
        public List<ClassificationBatch> batches(int head, int size, int labelOffset) {
            List<ClassificationBatch> out = new ArrayList<>();
            for (int s = 0; s < labels.length; s += size) {
                int[] idx = new int[Math.min(size, labels.length - s)];
                for (int i = 0; i < idx.length; i++) idx[i] = s + i;
                out.add(batch(head, idx, labelOffset));
            }
            return out;
        }
    }

    public int classCount() { return classes.size(); }
}
