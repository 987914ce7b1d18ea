package org.layerwise.modelselect.method;

import org.layerwise.engine.jobs.JobContext;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Phase 2 of two-phase selection: successive halving over fine-tuning. Each round every surviving candidate
 * trains one more epoch; then (optionally) the convergence-trend filter drops every model whose predicted final
 * accuracy is below the best prediction among the models with a higher current validation accuracy; then the
 * better half (by validation accuracy, at least one) goes on. It stops with one survivor or after
 * {@code maxEpochs} rounds (then the best validation accuracy wins). With 10 candidates and 5 epochs: 10 → 5 → 2 → 1.
 */
public final class SuccessiveHalving {
    /** Predicted final target accuracy of a model from its validation accuracy after an epoch. */
    public interface FinalAccuracyPredictor {
        double predict(String model, int epoch, double accuracy);
    }

    public record Round(int epoch, Map<String, Double> validation, Map<String, Double> predicted,
                        List<String> filtered, List<String> halved, List<String> survivors) {}

    public record Outcome(String chosen, List<Round> rounds, int epochs, double seconds, Map<String, List<Double>> curves) {
        /** Epochs the chosen model has been trained (the rest of the full schedule is still to run). */
        public int chosenEpochs() { return curves.get(chosen).size(); }
    }

    private SuccessiveHalving() {}

    /** @param predictor the trend filter, or null for plain successive halving */
    public static Outcome run(List<String> candidates, int maxEpochs, EpochRunner runner, FinalAccuracyPredictor predictor,
                              JobContext ctx) throws Exception {
        if (candidates.isEmpty()) throw new IllegalArgumentException("Successive halving needs at least one candidate");
        long start = System.nanoTime();
        List<String> alive = new ArrayList<>(candidates);
        Map<String, List<Double>> curves = new LinkedHashMap<>();
        candidates.forEach(c -> curves.put(c, new ArrayList<>()));
        List<Round> rounds = new ArrayList<>();
        int epochs = 0;
        int planned = plannedEpochs(candidates.size(), maxEpochs);
        for (int epoch = 1; epoch <= maxEpochs && (alive.size() > 1 || epoch == 1); epoch++) {
            Map<String, Double> val = new LinkedHashMap<>();
            for (String m : alive) {
                if (ctx != null) {
                    ctx.checkCancelled();
                    ctx.progress(Math.min(1, (double) epochs / planned), String.format(Locale.ROOT, "round %d: fine-tuning %s", epoch, m));
                }
                double acc = runner.nextEpoch(m);
                val.put(m, acc);
                curves.get(m).add(acc);
                epochs++;
                if (ctx != null) ctx.metric("val_acc/" + m, epoch, acc);
            }
            Map<String, Double> predicted = new LinkedHashMap<>();
            List<String> filtered = new ArrayList<>();
            List<String> ranked = new ArrayList<>(alive);
            ranked.sort(Comparator.comparingDouble((String m) -> -val.get(m)).thenComparingInt(candidates::indexOf));
            if (predictor != null && alive.size() > 1) {
                for (String m : alive) predicted.put(m, predictor.predict(m, epoch, val.get(m)));
                double bestAbove = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < ranked.size(); i++) {
                    String m = ranked.get(i);
                    // strictly higher accuracy only: a tie does not count as "ahead"
                    if (predicted.get(m) < bestAbove && val.get(m) < val.get(ranked.get(0))) filtered.add(m);
                    if (i + 1 < ranked.size() && val.get(ranked.get(i + 1)) < val.get(m))
                        for (int j = 0; j <= i; j++) bestAbove = Math.max(bestAbove, predicted.get(ranked.get(j)));
                }
                ranked.removeAll(filtered);
            }
            int keep = epoch == maxEpochs ? 1 : Math.max(1, ranked.size() / 2);
            List<String> survivors = new ArrayList<>(ranked.subList(0, Math.min(keep, ranked.size())));
            List<String> halved = new ArrayList<>(ranked.subList(survivors.size(), ranked.size()));
            rounds.add(new Round(epoch, val, predicted, filtered, halved, survivors));
            if (ctx != null)
                ctx.log(String.format(Locale.ROOT, "round %d: %d trained, %d dropped by the trend filter, %d halved, %d go on",
                        epoch, alive.size(), filtered.size(), halved.size(), survivors.size()));
            for (String m : filtered) runner.release(m);
            for (String m : halved) runner.release(m);
            alive = survivors;
        }
        return new Outcome(alive.get(0), rounds, epochs, (System.nanoTime() - start) / 1e9, curves);
    }

    /** Epochs plain halving would spend (for progress): n + n/2 + … for at most maxEpochs rounds. */
    static int plannedEpochs(int n, int maxEpochs) {
        int total = 0;
        for (int e = 0; e < maxEpochs && n >= 1; e++) {
            total += n;
            if (n == 1) break;
            n = Math.max(1, n / 2);
        }
        return Math.max(1, total);
    }

    /** Brute force: every candidate trained for all {@code maxEpochs}; the best final validation accuracy wins. */
    public static Outcome bruteForce(List<String> candidates, int maxEpochs, EpochRunner runner, JobContext ctx) throws Exception {
        long start = System.nanoTime();
        Map<String, List<Double>> curves = new LinkedHashMap<>();
        int epochs = 0;
        String best = null;
        for (String m : candidates) {
            List<Double> c = new ArrayList<>();
            for (int e = 1; e <= maxEpochs; e++) {
                if (ctx != null) {
                    ctx.checkCancelled();
                    ctx.progress((double) epochs / (candidates.size() * maxEpochs), "brute force: fine-tuning " + m + ", epoch " + e);
                }
                c.add(runner.nextEpoch(m));
                epochs++;
            }
            runner.release(m);
            curves.put(m, c);
            if (best == null || c.get(maxEpochs - 1) > curves.get(best).get(maxEpochs - 1)) best = m;
        }
        return new Outcome(best, List.of(), epochs, (System.nanoTime() - start) / 1e9, curves);
    }
}
