package org.layerwise.flatness.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.train.Classifier;
import org.layerwise.engine.train.ClassificationBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Chooses which training examples of a finished task are kept for replay: C&amp;F's k-means selection (cluster the
 * body's features of every example into k clusters, keep the example nearest to each centroid) or a seeded
 * random choice.
 */
public final class ReplayMemory {
    private ReplayMemory() {}

    /** {@code count} distinct row indices of {@code split}. */
    public static int[] select(Classifier classifier, TaskData.Split split, int head, int count, boolean kmeans, long seed) {
        int n = split.size();
        count = Math.max(1, Math.min(count, n));
        if (!kmeans) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < n; i++) idx.add(i);
            java.util.Collections.shuffle(idx, new Random(seed));
            return idx.subList(0, count).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        try (GradMode off = GradMode.off(); NDManager scope = NDManager.newBaseManager()) {
            List<NDArray> parts = new ArrayList<>();
            for (ClassificationBatch b : split.batches(head, 256, 0)) parts.add(classifier.features(scope, b));
            NDArray x = parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 0);
            return nearestToCentroids(x, count, 20, seed);
        }
    }

    /** Lloyd's k-means with k-means++ seeding on rows of x [n, f]; returns the row nearest each centroid. */
    static int[] nearestToCentroids(NDArray x, int k, int iterations, long seed) {
        NDManager m = x.getManager();
        int n = (int) x.getShape().get(0);
        Random random = new Random(seed);
        NDArray sq = x.square().sum(new int[]{1});                    // [n]
        int[] chosen = new int[k];
        chosen[0] = random.nextInt(n);
        float[] d2 = distances(x, sq, x.get(chosen[0]).expandDims(0)).min(new int[]{1}).toFloatArray();
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (float v : d2) total += Math.max(0, v);
            double u = random.nextDouble() * total;
            int pick = n - 1;
            for (int i = 0; i < n; i++) {
                u -= Math.max(0, d2[i]);
                if (u <= 0) { pick = i; break; }
            }
            chosen[c] = pick;
            float[] nd = distances(x, sq, x.get(pick).expandDims(0)).squeeze(1).toFloatArray();
            for (int i = 0; i < n; i++) d2[i] = Math.min(d2[i], nd[i]);
        }
        NDArray centroids = x.get(m.create(chosen));
        for (int it = 0; it < iterations; it++) {
            NDArray assign = distances(x, sq, centroids).argMin(1);                   // [n]
            NDArray onehot = assign.oneHot(k).toType(DataType.FLOAT32, false);        // [n, k]
            NDArray counts = onehot.sum(new int[]{0});                                // [k]
            NDArray sums = onehot.transpose().matMul(x);                              // [k, f]
            NDArray empty = counts.eq(0).toType(DataType.FLOAT32, false).expandDims(1);     // [k, 1]: keep an empty cluster's centroid
            NDArray updated = sums.div(counts.maximum(1f).expandDims(1));
            centroids = centroids.mul(empty).add(updated.mul(empty.neg().add(1f)));
        }
        // the distinct example nearest each centroid, in centroid order
        float[][] d = distancesRows(distances(x, sq, centroids).transpose());
        Set<Integer> out = new LinkedHashSet<>();
        for (float[] row : d) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Arrays.sort(order, (p, q) -> Float.compare(row[p], row[q]));
            for (Integer i : order) if (out.add(i)) break;
        }
        return out.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Squared distances [n, c] between rows of x and rows of c. */
    private static NDArray distances(NDArray x, NDArray sq, NDArray c) {
        NDArray csq = c.square().sum(new int[]{1});
        return sq.expandDims(1).sub(x.matMul(c.transpose()).mul(2)).add(csq.expandDims(0));
    }

    private static float[][] distancesRows(NDArray d) {
        int r = (int) d.getShape().get(0), c = (int) d.getShape().get(1);
        float[] flat = d.toFloatArray();
        float[][] out = new float[r][c];
        for (int i = 0; i < r; i++) System.arraycopy(flat, i * c, out[i], 0, c);
        return out;
    }
}
