package org.layerwise.rationale.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.data.nlu.NluPrompt;
import org.layerwise.engine.data.nlu.NluRecord;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RandomWeights;
import org.layerwise.engine.model.Taps;
import org.layerwise.engine.model.TransformerModel;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AlignLossTest {
    /** Prompts: 3 ids; words of a target: one id each (1 + word count mod 19), EOS = 19. */
    private static final TrainingExamples.Codec CODEC = new TrainingExamples.Codec(
            p -> new int[] {1, 2, 3},
            t -> t.strip().split("\\s+").length == 0 ? new int[0]
                    : java.util.Arrays.stream(t.strip().split("\\s+")).mapToInt(w -> 1 + Math.abs(w.hashCode()) % 18).toArray(),
            19);

    // label "yes" = 1 word; rationale "7 is more than 6 . therefore , the answer is : yes" = 13 words
    private static final NluRecord ITEM = new NluRecord("s", "sum_compare", "is 3 plus 4 more than 6 ?", "", "yes | no", "yes",
            "7 is more than 6 . therefore , the answer is : yes");

    @Test
    void alignWeightsAreNormalisedPerPartByHand() {
        TrainingExamples.Example e = TrainingExamples.align(CODEC, ITEM, 0.3);
        assertEquals(1, e.normaliser());
        // label row: [1 2 3 | yes EOS] → 4 predictions; the last 2 (yes, EOS) weigh 0.3 / 2 each
        assertArrayEquals(new float[] {0, 0, 0.15f, 0.15f}, e.weights().get(0), 1e-7f);
        // rationale row: 3 prompt ids + 13 words + EOS → 14 targets weighing 0.7 / 14 each; the 2 prompt predictions 0
        float[] r = e.weights().get(1);
        assertEquals(16, r.length);
        assertEquals(0, r[0] + r[1], 0);
        for (int i = 2; i < 16; i++) assertEquals(0.7f / 14, r[i], 1e-7f);
        // per-token methods: weight 1 on targets, normaliser = target count
        TrainingExamples.Example plain = TrainingExamples.single(CODEC, NluPrompt.direct(ITEM), ITEM.label());
        assertEquals(2, plain.normaliser());
        assertArrayEquals(new float[] {0, 0, 1, 1}, plain.weights().get(0));
    }

    @Test
    void objectiveEqualsSeparatelyAveragedLossesComputedRowByRow() {
        var spec = NluModelRecipe.spec(20, 16, 1, 2);
        try (NDManager m = NDManager.newBaseManager(); GradMode off = GradMode.off()) {
            TransformerModel model = TransformerModel.create(spec, RandomWeights.create(spec, m, 5, 0.5f), null,
                    new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32), null, null);
            try (model) {
                double w = 0.3;
                TrainingExamples.Example e = TrainingExamples.align(CODEC, ITEM, w);
                TrainingExamples.Example e2 = TrainingExamples.align(CODEC, ITEM.withRationale("7 is more . therefore , the answer is : yes"), w);
                SupervisedBatch batch = new SupervisedBatch(
                        List.of(e.rows().get(0), e.rows().get(1), e2.rows().get(0), e2.rows().get(1)),
                        List.of(e.weights().get(0), e.weights().get(1), e2.weights().get(0), e2.weights().get(1)), 2);
                double got;
                try (NDManager scope = m.newSubManager()) {
                    got = new SupervisedObjective(model).lossSum(scope, batch).getFloat() / batch.normaliser();
                }
                // independent: each row alone, log-softmax in Java, mean NLL over the target tokens of each part
                double expected = 0;
                for (TrainingExamples.Example x : List.of(e, e2)) {
                    double label = meanTargetNll(model, m, x.rows().get(0), 3);
                    double rationale = meanTargetNll(model, m, x.rows().get(1), 3);
                    expected += (w * label + (1 - w) * rationale) / 2;
                }
                assertEquals(expected, got, 1e-4);
            }
        }
    }

    private static double meanTargetNll(TransformerModel model, NDManager m, int[] ids, int promptLength) {
        try (NDManager scope = m.newSubManager()) {
            NDArray logits = model.forward(scope, ids, Taps.none());
            float[] flat = logits.toFloatArray();
            int v = (int) logits.getShape().get(1);
            double sum = 0;
            int n = 0;
            for (int t = promptLength; t < ids.length; t++) {
                int row = (t - 1) * v;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < v; k++) max = Math.max(max, flat[row + k]);
                double z = 0;
                for (int k = 0; k < v; k++) z += Math.exp(flat[row + k] - max);
                sum -= flat[row + ids[t]] - max - Math.log(z);
                n++;
            }
            return sum / n;
        }
    }
}
