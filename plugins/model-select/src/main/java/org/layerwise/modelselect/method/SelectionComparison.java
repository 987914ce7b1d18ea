package org.layerwise.modelselect.method;

import org.layerwise.engine.jobs.JobContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Two-phase selection against its baselines on one target: brute force (fine-tune every candidate for the full
 * schedule) and plain successive halving over the whole repository. Compute is counted in fine-tuning epochs:
 * a halving strategy also pays for finishing its winner's schedule, so its total is comparable with brute
 * force's n·E. A fourth row, recall + halving without the trend filter, separates the two phases' effects. Regret = the best true accuracy − the chosen model's true accuracy.
 */
public final class SelectionComparison {
    public record Settings(double threshold, int recall, int maxEpochs, int trendK) {
        public static Settings paperNlp() { return new Settings(CoarseRecall.NLP_THRESHOLD, CoarseRecall.PAPER_RECALL, 5, TrendPredictor.PAPER_K); }
    }

    public record Row(String strategy, String chosen, double chosenAccuracy, int selectionEpochs, int totalEpochs,
                      double seconds, double regret) {}

    public record Result(String target, String best, double bestAccuracy, List<Row> rows, CoarseRecall.Result recall,
                         SuccessiveHalving.Outcome twoPhase, SuccessiveHalving.Outcome plain, SuccessiveHalving.Outcome bruteForce,
                         Map<String, Double> truth) {
        public Row row(String strategy) {
            return rows.stream().filter(r -> r.strategy().equals(strategy)).findFirst().orElseThrow();
        }
    }

    public static final String TWO_PHASE = "two-phase", RECALL_HALVING = "recall + halving", PLAIN = "successive halving", BRUTE = "brute force";

    private SelectionComparison() {}

    /**
     * @param benchmarks   the repository's matrix on the benchmark data sets (not the target)
     * @param curves       benchmark learning curves for the trend predictor
     * @param leep         LEEP per model on the target (may be empty)
     * @param runners      a fresh epoch runner on the target per strategy (each strategy trains from scratch)
     * @param trueAccuracy each model's true final accuracy on the target, asked for after the runs (real mode:
     *                     brute force's measured test accuracies); when null, brute force's final validation accuracies
     */
    public static Result run(String target, PerformanceMatrix benchmarks, LearningCurves curves, Map<String, Double> leep,
                             Settings s, Supplier<EpochRunner> runners, Supplier<Map<String, Double>> trueAccuracy,
                             JobContext ctx) throws Exception {
        List<String> all = benchmarks.models();
        CoarseRecall.Result recall = CoarseRecall.run(benchmarks, s.threshold(), leep, s.recall());
        List<String> recalled = recall.recalled().stream().map(all::get).toList();
        TrendPredictor trend = new TrendPredictor(curves, benchmarks.datasets(), s.trendK());
        if (ctx != null) ctx.log("recalled " + recalled.size() + " of " + all.size() + ": " + recalled);
        SuccessiveHalving.Outcome two = SuccessiveHalving.run(recalled, s.maxEpochs(), runners.get(), trend::predict, ctx);
        // ablation: the same recall, halving without the trend filter (which part costs what)
        SuccessiveHalving.Outcome recallOnly = SuccessiveHalving.run(recalled, s.maxEpochs(), runners.get(), null, ctx);
        SuccessiveHalving.Outcome plain = SuccessiveHalving.run(all, s.maxEpochs(), runners.get(), null, ctx);
        SuccessiveHalving.Outcome brute = SuccessiveHalving.bruteForce(all, s.maxEpochs(), runners.get(), ctx);
        Map<String, Double> truth = trueAccuracy == null ? null : trueAccuracy.get();
        if (truth == null) {
            truth = new java.util.LinkedHashMap<>();
            for (var e : brute.curves().entrySet()) truth.put(e.getKey(), e.getValue().get(e.getValue().size() - 1));
        }
        String best = all.get(0);
        for (String m : all) if (truth.get(m) > truth.get(best)) best = m;
        double top = truth.get(best);
        List<Row> rows = new ArrayList<>();
        rows.add(row(TWO_PHASE, two, s.maxEpochs(), truth, top));
        rows.add(row(RECALL_HALVING, recallOnly, s.maxEpochs(), truth, top));
        rows.add(row(PLAIN, plain, s.maxEpochs(), truth, top));
        rows.add(new Row(BRUTE, brute.chosen(), truth.get(brute.chosen()), brute.epochs(), brute.epochs(), brute.seconds(),
                top - truth.get(brute.chosen())));
        return new Result(target, best, top, rows, recall, two, plain, brute, Map.copyOf(truth));
    }

    private static Row row(String name, SuccessiveHalving.Outcome o, int maxEpochs, Map<String, Double> truth, double top) {
        int total = o.epochs() + (maxEpochs - o.chosenEpochs());
        return new Row(name, o.chosen(), truth.get(o.chosen()), o.epochs(), total, o.seconds(), top - truth.get(o.chosen()));
    }
}
