package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.model.GradMode;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Optimiser updates, schedule and clipping against hand-derived values. */
class OptimizerTest {

    @Test
    void adamWMatchesTheFormulaOverTwoSteps() {
        double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
        double[] p = {1.0, -2.0, 0.5};
        double[][] grads = {{0.5, -1.0, 0.0}, {0.25, 2.0, -0.1}};
        try (NDManager m = NDManager.newBaseManager(); GradMode off = GradMode.off();
             AdamW adam = new AdamW(m, b1, b2, eps, wd, false)) {
            NDArray param = m.create(new float[] {1f, -2f, 0.5f});
            double[] mm = new double[3], vv = new double[3];
            for (int t = 1; t <= 2; t++) {
                adam.update(Map.of("w", param), Map.of("w", m.create(toFloat(grads[t - 1]))), lr);
                for (int i = 0; i < 3; i++) {
                    double g = grads[t - 1][i];
                    p[i] -= lr * wd * p[i];
                    mm[i] = b1 * mm[i] + (1 - b1) * g;
                    vv[i] = b2 * vv[i] + (1 - b2) * g * g;
                    double mhat = mm[i] / (1 - Math.pow(b1, t)), vhat = vv[i] / (1 - Math.pow(b2, t));
                    p[i] -= lr * mhat / (Math.sqrt(vhat) + eps);
                }
                float[] got = param.toFloatArray();
                for (int i = 0; i < 3; i++) assertThat((double) got[i]).as("p[%d] after step %d", i, t).isCloseTo(p[i], within(1e-6));
            }
            assertThat(adam.updates()).isEqualTo(2);
            assertThat(adam.state()).containsKeys("exp_avg/w", "exp_avg_sq/w");
        }
    }

    @Test
    void adamWDecaysOnlyMatricesWhenAsked() {
        try (NDManager m = NDManager.newBaseManager(); GradMode off = GradMode.off();
             AdamW adam = new AdamW(m, 0.9, 0.999, 1e-8, 0.5, true)) {
            NDArray bias = m.create(new float[] {1f});
            NDArray matrix = m.create(new float[] {1f}).reshape(1, 1);
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("b", bias);
            params.put("w", matrix);
            adam.update(params, Map.of("b", m.create(new float[] {0f}), "w", m.create(new float[] {0f}).reshape(1, 1)), 0.1);
            assertThat(bias.getFloat(0)).isEqualTo(1f);
            assertThat(matrix.getFloat(0, 0)).isCloseTo(1f - 0.1f * 0.5f, within(1e-6f));
        }
    }

    @Test
    void sgdWithMomentumMatchesTheFormula() {
        try (NDManager m = NDManager.newBaseManager(); GradMode off = GradMode.off(); Sgd sgd = new Sgd(m, 0.9, 0.0)) {
            NDArray w = m.create(new float[] {1f, 2f});
            sgd.update(Map.of("w", w), Map.of("w", m.create(new float[] {1f, -1f})), 0.1);   // b = g
            sgd.update(Map.of("w", w), Map.of("w", m.create(new float[] {1f, -1f})), 0.1);   // b = 0.9g + g
            float[] got = w.toFloatArray();
            assertThat(got[0]).isCloseTo(1f - 0.1f - 0.19f, within(1e-6f));
            assertThat(got[1]).isCloseTo(2f + 0.1f + 0.19f, within(1e-6f));
        }
    }

    @Test
    void scheduleWarmsUpThenDecays() {
        LearningRateSchedule linear = new LearningRateSchedule(1.0, 10, 110, LearningRateSchedule.Decay.LINEAR, 0.0);
        assertThat(linear.at(1)).isCloseTo(0.1, within(1e-12));
        assertThat(linear.at(10)).isCloseTo(1.0, within(1e-12));
        assertThat(linear.at(60)).isCloseTo(0.5, within(1e-12));
        assertThat(linear.at(110)).isCloseTo(0.0, within(1e-12));
        assertThat(linear.at(500)).isCloseTo(0.0, within(1e-12));
        LearningRateSchedule cosine = new LearningRateSchedule(1.0, 0, 100, LearningRateSchedule.Decay.COSINE, 0.1);
        assertThat(cosine.at(0)).isCloseTo(1.0, within(1e-12));
        assertThat(cosine.at(50)).isCloseTo(0.1 + 0.9 * 0.5, within(1e-12));
        assertThat(cosine.at(100)).isCloseTo(0.1, within(1e-12));
        assertThat(LearningRateSchedule.constant(0.3).at(1000)).isEqualTo(0.3);
    }

    @Test
    void clippingScalesToTheGlobalNorm() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> g = new LinkedHashMap<>();
            g.put("a", m.create(new float[] {3f}));
            g.put("b", m.create(new float[] {0f, 4f}));
            assertThat(GradientClipping.clip(g, 0, m)).isCloseTo(5.0, within(1e-6));
            assertThat(g.get("a").getFloat(0)).isEqualTo(3f);
            assertThat(GradientClipping.clip(g, 1.0, m)).isCloseTo(5.0, within(1e-6));
            assertThat(g.get("a").getFloat(0)).isCloseTo(0.6f, within(1e-5f));
            assertThat(g.get("b").getFloat(1)).isCloseTo(0.8f, within(1e-5f));
            assertThat(GradientClipping.globalNorm(g, m)).isCloseTo(1.0, within(1e-5));
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
