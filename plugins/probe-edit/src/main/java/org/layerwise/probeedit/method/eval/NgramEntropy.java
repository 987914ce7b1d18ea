package org.layerwise.probeedit.method.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Upstream's fluency measure (compute_n_gram_entropy): the entropy (bits) of the bi- and tri-gram
 * frequency distribution of a text's words, weighted 2/3 and 4/3 and averaged; for several texts, the mean.
 */
public final class NgramEntropy {
    private NgramEntropy() {}

    public static double of(List<String> texts) {
        return texts.stream().mapToDouble(NgramEntropy::of).average().orElse(Double.NaN);
    }

    public static double of(String text) {
        String[] words = text.toLowerCase(Locale.ROOT).split("\\s+|(?=[.,!?;:])|(?<=[.,!?;:])");
        List<String> tokens = java.util.Arrays.stream(words).filter(w -> !w.isBlank()).toList();
        double[] weights = {2.0 / 3, 4.0 / 3};
        double sum = 0;
        for (int k = 0; k < 2; k++) sum += weights[k] * entropy(tokens, k + 2);
        return sum / 2;
    }

    static double entropy(List<String> tokens, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) counts.merge(String.join(" ", tokens.subList(i, i + n)), 1, Integer::sum);
        double total = counts.values().stream().mapToInt(Integer::intValue).sum();
        double h = 0;
        for (int c : counts.values()) {
            double p = c / total;
            h -= p * Math.log(p) / Math.log(2);
        }
        return h;
    }
}
