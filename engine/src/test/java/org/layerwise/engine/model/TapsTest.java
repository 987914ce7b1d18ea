package org.layerwise.engine.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.layerwise.engine.model.GoldenLogitsTest.maxAbsDiff;

/** Record, add, replace and hook semantics of taps, and gradients through added deltas. */
class TapsTest {
    private static final int[] IDS = {3, 14, 15, 9, 26, 5};

    @Test
    void recordKeepsActivationsAtChosenPositions() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(TinyModels.llama(4, 2), m, 11)) {
            Taps taps = Taps.create()
                    .record(Taps.residPost(1))
                    .record(Taps.mlpIn(0), Positions.of(1, -1))
                    .record(Taps.LOGITS, Positions.last());
            NDArray logits = model.forward(m, IDS, taps);
            assertThat(taps.recorded(Taps.residPost(1)).getShape()).isEqualTo(new Shape(1, 6, 32));
            NDArray keys = taps.recorded(Taps.mlpIn(0));
            assertThat(keys.getShape()).isEqualTo(new Shape(1, 2, 48));
            Taps all = Taps.create().record(Taps.mlpIn(0));
            model.forward(m, IDS, all);
            assertThat(maxAbsDiff(keys.get("0, 0"), all.recorded(Taps.mlpIn(0)).get("0, 1"))).isZero();
            assertThat(maxAbsDiff(keys.get("0, 1"), all.recorded(Taps.mlpIn(0)).get("0, 5"))).isZero();
            assertThat(maxAbsDiff(taps.recorded(Taps.LOGITS).get("0, 0"), logits.get(5))).isZero();
            assertThat(taps.recordings().keySet()).containsExactly(Taps.mlpIn(0), Taps.residPost(1), Taps.LOGITS);
            assertThatThrownBy(() -> taps.recorded(Taps.attnOut(0))).hasMessageContaining("Taps.record");
        }
    }

    @Test
    void addingADeltaEqualsReplacingWithRecordedPlusDelta() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(TinyModels.gptj(), m, 12)) {
            String point = Taps.residPost(0);
            Taps rec = Taps.create().record(point);
            NDArray clean = model.forward(m, IDS, rec);
            NDArray recorded = rec.recorded(point);
            NDArray delta = m.randomNormal(new Shape(32));

            NDArray added = model.forward(m, IDS, Taps.create().add(point, delta, Positions.of(2)));
            NDArray replaced = model.forward(m, IDS, Taps.create().replace(point, recorded.get("0, 2").add(delta), Positions.of(2)));
            assertThat(maxAbsDiff(added, replaced)).isLessThan(1e-5);
            assertThat(maxAbsDiff(added.get(":2"), clean.get(":2"))).as("earlier positions untouched").isLessThan(1e-6);
            assertThat(maxAbsDiff(added.get("2:"), clean.get("2:"))).as("position 2 onwards changed").isGreaterThan(1e-3);

            // replacing every position with the recording changes nothing
            assertThat(maxAbsDiff(model.forward(m, IDS, Taps.create().replace(point, recorded)), clean)).isLessThan(1e-6);
            // a [count, width] delta at several positions equals one add per position
            NDArray two = m.randomNormal(new Shape(2, 32));
            NDArray both = model.forward(m, IDS, Taps.create().add(point, two, Positions.of(1, 4)));
            NDArray separate = model.forward(m, IDS, Taps.create()
                    .add(point, two.get(0), Positions.of(1)).add(point, two.get(1), Positions.of(4)));
            assertThat(maxAbsDiff(both, separate)).isLessThan(1e-5);
        }
    }

    @Test
    void perRowPositionsActOnEachRowSeparately() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(TinyModels.llama(4, 4), m, 13)) {
            NDArray ids = m.create(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(2, 4));
            NDArray delta = m.randomNormal(new Shape(32));
            NDArray batch = model.forward(m, ids, null, Taps.create().add(Taps.attnOut(1), delta, Positions.perRow(1, 3)));
            NDArray row0 = model.forward(m, new int[] {1, 2, 3, 4}, Taps.create().add(Taps.attnOut(1), delta, Positions.of(1)));
            NDArray row1 = model.forward(m, new int[] {5, 6, 7, 8}, Taps.create().add(Taps.attnOut(1), delta, Positions.of(3)));
            assertThat(maxAbsDiff(batch.get(0), row0)).isLessThan(1e-5);
            assertThat(maxAbsDiff(batch.get(1), row1)).isLessThan(1e-5);
            assertThatThrownBy(() -> model.forward(m, ids, null, Taps.create().add(Taps.attnOut(1), delta, Positions.perRow(1))))
                    .hasMessageContaining("batch has 2");
        }
    }

    @Test
    void hooksSeeEveryMatchingPointAndCanModify() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(TinyModels.llama(4, 2), m, 14)) {
            AtomicInteger calls = new AtomicInteger();
            NDArray hooked = model.forward(m, IDS, Taps.create().hook("blocks.*.mlp_out", (point, x) -> {
                calls.incrementAndGet();
                return x.mul(0);
            }));
            Taps zeros = Taps.create();
            for (int l = 0; l < 2; l++) zeros.replace(Taps.mlpOut(l), m.zeros(new Shape(32)));
            assertThat(calls.get()).isEqualTo(2);
            assertThat(maxAbsDiff(hooked, model.forward(m, IDS, zeros))).isLessThan(1e-6);
        }
    }

    @Test
    void unknownPointsAndBadShapesAreNamed() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(TinyModels.gpt2(), m, 15)) {
            assertThatThrownBy(() -> model.forward(m, IDS, Taps.create().record("blocks.2.resid_post")))
                    .hasMessageContaining("blocks.2.resid_post").hasMessageContaining("blocks.{0..1}");
            assertThatThrownBy(() -> model.forward(m, IDS, Taps.create().add(Taps.mlpIn(0), m.zeros(new Shape(32)), Positions.of(0))))
                    .hasMessageContaining("width 64");
            assertThatThrownBy(() -> model.forward(m, IDS, Taps.create().record(Taps.FINAL_NORM, Positions.of(6))))
                    .hasMessageContaining("outside a sequence of 6");
            assertThatThrownBy(() -> Taps.none().record(Taps.LOGITS)).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void gradientsFlowIntoAnAddedDeltaAndMatchFiniteDifferences() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(TinyModels.llama(4, 2), m, 16)) {
            NDArray delta = m.zeros(new Shape(32));
            delta.setRequiresGradient(true);
            int target = 7;
            float[] grad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = nll(model, m, delta, target);
                gc.backward(loss);
                grad = delta.getGradient().toFloatArray();
            }
            double norm = 0;
            for (float g : grad) norm += g * g;
            assertThat(Math.sqrt(norm)).as("gradient arrived").isGreaterThan(1e-3);
            float eps = 1e-2f;
            for (int i : new int[] {0, 5, 31}) {
                NDArray step = m.zeros(new Shape(32));
                step.set(new ai.djl.ndarray.index.NDIndex(i), eps);
                float up = nll(model, m, step, target).getFloat();
                float down = nll(model, m, step.neg(), target).getFloat();
                assertThat((double) grad[i]).as("d loss / d delta[" + i + "]")
                        .isCloseTo((up - down) / (2 * eps), org.assertj.core.data.Offset.offset(2e-3 + 0.02 * Math.abs(grad[i])));
            }
        }
    }

    /** −log P(target | IDS) with {@code delta} added to the attention output of the last block at the last token. */
    private static NDArray nll(TransformerModel model, NDManager m, NDArray delta, int target) {
        NDArray logits = model.forward(m, IDS, Taps.create().add(Taps.attnOut(1), delta, Positions.last()));
        return logits.get(IDS.length - 1).logSoftmax(0).get(target).neg();
    }
}
