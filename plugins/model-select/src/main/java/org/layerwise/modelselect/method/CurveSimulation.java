package org.layerwise.modelselect.method;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Simulation mode: fine selection replayed over recorded learning curves instead of real fine-tuning.
 * The paper's repository ships only final accuracies, so {@link #synthesise} makes curves from a performance
 * matrix: model m approaches its recorded accuracy a on data set d from the data set's floor (the weakest
 * model's accuracy) with a model-specific pace τ_m, {@code v_e = floor + (a − floor)·(1 − e^(−e/τ_m))/(1 − e^(−E/τ_m)) + ε},
 * ε ~ N(0, noise²), so the last epoch sits near a and fast learners lead early. The final test accuracy is a.
 * These curves are an assumption, not data: the simulation tests the selection logic, not the paper's claim.
 */
public final class CurveSimulation {
    public static final double PACE_MIN = 0.5, PACE_MAX = 3.0;

    private CurveSimulation() {}

    public static LearningCurves synthesise(PerformanceMatrix p, int epochs, double noise, long seed) {
        Random random = new Random(seed);
        double[] pace = new double[p.modelCount()];
        for (int m = 0; m < pace.length; m++) pace[m] = PACE_MIN + (PACE_MAX - PACE_MIN) * random.nextDouble();
        LearningCurves out = new LearningCurves();
        for (int d = 0; d < p.datasetCount(); d++) {
            double floor = Double.POSITIVE_INFINITY;
            for (int m = 0; m < p.modelCount(); m++) if (p.at(d, m) > 0) floor = Math.min(floor, p.at(d, m));
            for (int m = 0; m < p.modelCount(); m++) {
                double a = p.at(d, m);
                if (a <= 0) continue;
                double[] v = new double[epochs];
                double norm = 1 - Math.exp(-epochs / pace[m]);
                for (int e = 1; e <= epochs; e++) {
                    double mean = floor + (a - floor) * (1 - Math.exp(-e / pace[m])) / norm;
                    v[e - 1] = Math.min(1, Math.max(0, mean + noise * random.nextGaussian()));
                }
                out.put(p.models().get(m), p.datasets().get(d), v, a);
            }
        }
        return out;
    }

    /** Replays the recorded validation curves on {@code target}: each call advances the model by one epoch. */
    public static EpochRunner replay(LearningCurves curves, String target) {
        Map<String, Integer> done = new HashMap<>();
        return model -> {
            double[] v = curves.get(model, target).validation();
            int e = done.merge(model, 1, Integer::sum);
            if (e > v.length) throw new IllegalStateException("The recorded curve of " + model + " on " + target + " has only " + v.length + " epochs");
            return v[e - 1];
        };
    }

    /** One leave-one-out run on the paper's matrix: {@code target} is hidden from the benchmarks and selected for. */
    public static SelectionComparison.Result leaveOneOut(PerformanceMatrix full, LearningCurves curves, String target,
                                                         Map<String, Double> leep, SelectionComparison.Settings s) throws Exception {
        int t = full.datasetIndex(target);
        // candidates: the models with a usable result on the target
        List<Integer> usable = new java.util.ArrayList<>();
        for (int m = 0; m < full.modelCount(); m++) if (full.at(t, m) > 0) usable.add(m);
        PerformanceMatrix bench = full.withoutDataset(t).withModels(usable.stream().mapToInt(Integer::intValue).toArray());
        Map<String, Double> truth = new LinkedHashMap<>();
        for (int m : usable) truth.put(full.models().get(m), full.at(t, m));
        return SelectionComparison.run(target, bench, curves, leep, s, () -> replay(curves, target), () -> truth, null);
    }
}
