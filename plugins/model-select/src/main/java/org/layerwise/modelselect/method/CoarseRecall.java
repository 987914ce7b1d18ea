package org.layerwise.modelselect.method;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Phase 1 of two-phase selection: cluster the repository by benchmark behaviour (offline), then rank every
 * model by a light proxy score on the target and recall the top k.
 * <ul>
 *   <li>representative of a cluster (≥ 2 members): the member with the highest mean benchmark accuracy;</li>
 *   <li>clustered model m: proxy = avgAcc(m) · exp(LEEP_m);</li>
 *   <li>singleton s (no LEEP needed): proxy = avgAcc(s) · mean over representatives r of cos(acc_s, acc_r) · exp(LEEP_r).</li>
 * </ul>
 * A model with no LEEP score (none computed, none imported) counts as LEEP = 0, i.e. exp(LEEP) = 1: the proxy
 * then falls back on benchmark accuracy alone, which the result reports in {@link Result#missingLeep}.
 */
public final class CoarseRecall {
    /** Paper presets: NLP threshold 0.09, CV 0.03, recall the top 15. */
    public static final double NLP_THRESHOLD = 0.09, CV_THRESHOLD = 0.03;
    public static final int PAPER_RECALL = 15;

    public record Result(Dendrogram dendrogram, double threshold, List<List<Integer>> clusters, int[] clusterOf,
                         List<Integer> representatives, double[] proxy, List<Integer> recalled, List<String> missingLeep) {
        public boolean isSingleton(int model) {
            return clusters.get(clusterOf[model]).size() == 1;
        }
    }

    private CoarseRecall() {}

    /** @param leep LEEP per model name on the target (may be empty) */
    public static Result run(PerformanceMatrix benchmarks, double threshold, Map<String, Double> leep, int recall) {
        Dendrogram tree = Dendrogram.averageLinkage(ModelDistance.matrix(benchmarks));
        List<List<Integer>> clusters = tree.clusters(threshold);
        int n = benchmarks.modelCount();
        int[] clusterOf = new int[n];
        for (int c = 0; c < clusters.size(); c++) for (int m : clusters.get(c)) clusterOf[m] = c;
        double[] mean = new double[n];
        for (int m = 0; m < n; m++) mean[m] = benchmarks.meanAccuracy(m);
        List<Integer> reps = new ArrayList<>();
        for (List<Integer> c : clusters) {
            if (c.size() < 2) continue;
            int best = c.get(0);
            for (int m : c) if (mean[m] > mean[best]) best = m;
            reps.add(best);
        }
        List<String> missing = new ArrayList<>();
        double[] expLeep = new double[n];
        for (int m = 0; m < n; m++) {
            Double l = leep.get(benchmarks.models().get(m));
            boolean needed = clusters.get(clusterOf[m]).size() >= 2;   // singletons borrow the representatives' LEEP
            if (l == null && needed) missing.add(benchmarks.models().get(m));
            expLeep[m] = Math.exp(l == null ? 0 : l);
        }
        double[] proxy = new double[n];
        for (int m = 0; m < n; m++) {
            if (clusters.get(clusterOf[m]).size() >= 2 || reps.isEmpty()) {
                proxy[m] = mean[m] * expLeep[m];
            } else {
                double[] a = usable(benchmarks.column(m));
                double s = 0;
                for (int r : reps) s += cosine(a, usable(benchmarks.column(r))) * expLeep[r];
                proxy[m] = mean[m] * s / reps.size();
            }
        }
        Integer[] order = new Integer[n];
        for (int m = 0; m < n; m++) order[m] = m;
        Arrays.sort(order, Comparator.comparingDouble((Integer m) -> -proxy[m]).thenComparingInt(m -> m));
        List<Integer> top = List.of(order).subList(0, Math.min(recall, n));
        return new Result(tree, threshold, clusters, clusterOf, List.copyOf(reps), proxy, List.copyOf(top), List.copyOf(missing));
    }

    /** Accuracies with "no result" (≤ 0) as 0, so a missing entry adds nothing to a dot product. */
    static double[] usable(double[] acc) {
        double[] out = new double[acc.length];
        for (int i = 0; i < acc.length; i++) out[i] = Math.max(0, acc[i]);
        return out;
    }

    static double cosine(double[] a, double[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
