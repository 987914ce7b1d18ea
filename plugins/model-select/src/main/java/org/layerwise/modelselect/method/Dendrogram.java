package org.layerwise.modelselect.method;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Agglomerative clustering with average linkage (UPGMA) over a precomputed distance matrix, kept as the
 * full merge tree so it can be drawn and cut at any threshold. Leaves are 0..n-1; the k-th merge creates
 * cluster n+k (scipy's linkage numbering). The average-linkage heights never decrease, so cutting the tree
 * at a threshold gives exactly the clusters of "merge while the closest pair is ≤ threshold".
 */
public final class Dendrogram {
    /** One merge: clusters {@code left} and {@code right} joined at {@code height}, giving {@code size} leaves. */
    public record Merge(int left, int right, double height, int size) {}

    private final int leaves;
    private final List<Merge> merges;

    private Dendrogram(int leaves, List<Merge> merges) {
        this.leaves = leaves;
        this.merges = List.copyOf(merges);
    }

    /**
     * Builds the tree. Each step merges the pair of clusters with the smallest mean pairwise distance
     * between their members (ties: the pair with the lowest cluster ids). O(n³), fine for a few hundred models.
     */
    public static Dendrogram averageLinkage(double[][] distance) {
        int n = distance.length;
        int total = 2 * n - 1;
        double[][] d = new double[total][total];
        for (int i = 0; i < n; i++) System.arraycopy(distance[i], 0, d[i], 0, n);
        int[] size = new int[total];
        boolean[] alive = new boolean[total];
        for (int i = 0; i < n; i++) { size[i] = 1; alive[i] = true; }
        List<Merge> merges = new ArrayList<>();
        for (int k = 0; k < n - 1; k++) {
            int bi = -1, bj = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n + k; i++) {
                if (!alive[i]) continue;
                for (int j = i + 1; j < n + k; j++) {
                    if (alive[j] && d[i][j] < best) { best = d[i][j]; bi = i; bj = j; }
                }
            }
            int c = n + k;
            size[c] = size[bi] + size[bj];
            alive[bi] = alive[bj] = false;
            alive[c] = true;
            for (int o = 0; o < c; o++) {
                if (!alive[o]) continue;
                // Lance–Williams update for average linkage: size-weighted mean of the two parents' distances
                double v = (size[bi] * d[bi][o] + size[bj] * d[bj][o]) / size[c];
                d[c][o] = d[o][c] = v;
            }
            merges.add(new Merge(bi, bj, best, size[c]));
        }
        return new Dendrogram(n, merges);
    }

    public int leafCount() { return leaves; }

    public List<Merge> merges() { return merges; }

    /** Flat clusters after every merge with height ≤ threshold; each sorted, ordered by their first member. */
    public List<List<Integer>> clusters(double threshold) {
        int[] parent = new int[2 * leaves - 1];
        for (int i = 0; i < parent.length; i++) parent[i] = i;
        for (int k = 0; k < merges.size(); k++) {
            Merge m = merges.get(k);
            if (m.height() > threshold) break;            // heights are monotone: no later merge can qualify
            parent[m.left()] = leaves + k;
            parent[m.right()] = leaves + k;
        }
        List<List<Integer>> groups = new ArrayList<>();
        java.util.Map<Integer, List<Integer>> byRoot = new java.util.TreeMap<>();
        for (int i = 0; i < leaves; i++) {
            int r = i;
            while (parent[r] != r) r = parent[r];
            byRoot.computeIfAbsent(r, x -> new ArrayList<>()).add(i);
        }
        groups.addAll(byRoot.values());
        groups.sort(Comparator.comparingInt(g -> g.get(0)));
        return groups;
    }

    /** Leaf order for drawing (depth-first through the tree, so no branches cross). */
    public List<Integer> leafOrder() {
        List<Integer> out = new ArrayList<>();
        if (leaves == 1) { out.add(0); return out; }
        java.util.ArrayDeque<Integer> stack = new java.util.ArrayDeque<>();
        stack.push(leaves + merges.size() - 1);
        while (!stack.isEmpty()) {
            int c = stack.pop();
            if (c < leaves) { out.add(c); continue; }
            Merge m = merges.get(c - leaves);
            stack.push(m.right());
            stack.push(m.left());
        }
        return out;
    }
}
