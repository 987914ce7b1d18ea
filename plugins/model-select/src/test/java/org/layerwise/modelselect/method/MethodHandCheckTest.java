package org.layerwise.modelselect.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hand-derived cases for the distance, the linkage, LEEP, the trend predictor and successive halving. */
class MethodHandCheckTest {
    @Test
    void distanceIsTheMeanOfTheFiveLargestGapsOverSharedResults() {
        double[] a = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0};
        double[] b = {0.8, 0.8, 0.5, 0.9, 0.5, 0.1, 0.7};
        // shared: first 6; gaps .1 0 .2 .3 0 .3 → top five .3 .3 .2 .1 0 → mean .18
        assertEquals(0.18, ModelDistance.between(a, b), 1e-12);
        double[] c = {0.9, 0.8, 0.7, 0.6, 0.5, -0.01, 0};
        assertEquals(ModelDistance.INCOMPARABLE, ModelDistance.between(a, c));   // only 5 shared
    }

    @Test
    void averageLinkageMergesByMeanMemberDistance() {
        double[] x = {0, 1, 5, 6.5};
        double[][] d = new double[4][4];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) d[i][j] = Math.abs(x[i] - x[j]);
        Dendrogram t = Dendrogram.averageLinkage(d);
        assertEquals(new Dendrogram.Merge(0, 1, 1.0, 2), t.merges().get(0));
        assertEquals(new Dendrogram.Merge(2, 3, 1.5, 2), t.merges().get(1));
        assertEquals((5 + 6.5 + 4 + 5.5) / 4, t.merges().get(2).height(), 1e-12);   // mean of the four cross pairs
        assertEquals(List.of(List.of(0, 1), List.of(2), List.of(3)), t.clusters(1.2));
        assertEquals(List.of(List.of(0, 1), List.of(2, 3)), t.clusters(1.5));
        assertEquals(List.of(List.of(0, 1, 2, 3)), t.clusters(10));
    }

    @Test
    void leepMatchesHandComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            // P̂(y,z) = [[.4,.1],[.2,.3]], P̂(z) = [.6,.4]; both items expect 0.8·2/3 + 0.2·1/4 = 0.4·1/3 + 0.6·3/4 = 7/12
            NDArray theta = m.create(new float[] {0.8f, 0.2f, 0.4f, 0.6f}, new Shape(2, 2));
            assertEquals(Math.log(7.0 / 12), Leep.score(theta, new int[] {0, 1}, 2), 1e-6);
            NDArray perfect = m.create(new float[] {1, 0, 0, 1, 1, 0}, new Shape(3, 2));
            assertEquals(0.0, Leep.score(perfect, new int[] {0, 1, 0}, 2), 1e-9);
            NDArray uniform = m.create(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, new Shape(2, 2));
            assertEquals(Math.log(0.5), Leep.score(uniform, new int[] {0, 1}, 2), 1e-9);
            // a source label never predicted (third column all zero) adds nothing
            NDArray unused = m.create(new float[] {0.8f, 0.2f, 0, 0.4f, 0.6f, 0}, new Shape(2, 3));
            assertEquals(Math.log(7.0 / 12), Leep.score(unused, new int[] {0, 1}, 2), 1e-6);
        }
    }

    @Test
    void trendPredictorAnswersTheFinalAccuracyOfTheNearestEpochCluster() {
        double[] at = {0.10, 0.12, 0.50, 0.52, 0.90, 0.91, 0.30, 0.31};
        assertArrayEquals(new int[] {0, 0, 2, 2, 3, 3, 1, 1}, TrendPredictor.kMeans1d(at, 4));
        double[] fin = {0.2, 0.4, 0.7, 0.8, 0.95, 0.97, 0.5, 0.6};
        assertEquals(0.75, TrendPredictor.predict(0.55, at, fin, 4), 1e-12);      // the 0.51 cluster: (0.7 + 0.8)/2
        assertEquals(0.3, TrendPredictor.predict(0.0, at, fin, 4), 1e-12);
        assertEquals(1, TrendPredictor.kMeans1d(new double[] {0.5, 0.5, 0.5}, 4)[0] + 1);   // K capped by distinct values
    }

    @Test
    void successiveHalvingHalvesAndTheTrendFilterDropsModelsPredictedBelowABetterOne() throws Exception {
        Map<String, double[]> curves = Map.of(
                "a", new double[] {0.60, 0.70, 0.80}, "b", new double[] {0.55, 0.75, 0.85},
                "c", new double[] {0.50, 0.60, 0.65}, "d", new double[] {0.40, 0.50, 0.90});
        Map<String, Integer> done = new HashMap<>();
        EpochRunner runner = model -> curves.get(model)[done.merge(model, 1, Integer::sum) - 1];
        SuccessiveHalving.Outcome plain = SuccessiveHalving.run(List.of("a", "b", "c", "d"), 3, runner, null, null);
        // epoch 1: a .60 b .55 c .50 d .40 → keep a, b; epoch 2: b .75 > a .70 → b
        assertEquals("b", plain.chosen());
        assertEquals(4 + 2, plain.epochs());
        assertEquals(List.of("c", "d"), plain.rounds().get(0).halved());

        done.clear();
        // the predictor says a ends at .70 and b at .90: b (behind a after epoch 1) survives; c and d predicted below b
        Map<String, Double> predicted = Map.of("a", 0.70, "b", 0.90, "c", 0.95, "d", 0.60);
        SuccessiveHalving.Outcome filtered = SuccessiveHalving.run(List.of("a", "b", "c", "d"), 3, runner,
                (m, e, acc) -> predicted.get(m), null);
        SuccessiveHalving.Round first = filtered.rounds().get(0);
        assertEquals(List.of("d"), first.filtered());      // .60 < max(.70, .90, .95) of the models ahead; c (.95) is not below
        assertEquals(List.of("a"), first.survivors());     // 3 left → keep 1 (the best validation accuracy)
        assertEquals("a", filtered.chosen());
        assertEquals(4, filtered.epochs());
    }
}
