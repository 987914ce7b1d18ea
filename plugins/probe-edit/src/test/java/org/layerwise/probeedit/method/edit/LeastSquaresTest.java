package org.layerwise.probeedit.method.edit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The least-squares updates against their defining equations. */
class LeastSquaresTest {
    private static NDArray random(NDManager m, Random r, int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) d[i] = r.nextGaussian();
        return m.create(d, new Shape(rows, cols));
    }

    private static double maxAbs(NDArray a) {
        return a.abs().max().toType(DataType.FLOAT64, false).getDouble();
    }

    @Test
    void directSolveSatisfiesTheNormalEquationsAndWoodburyAgrees() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random r = new Random(1);
            int dff = 12, facts = 3;
            NDArray sample = random(m, r, 40, dff);
            NDArray c = sample.transpose().matMul(sample).div(40);               // E[kkᵀ] of 40 keys
            NDArray k = random(m, r, dff, facts);
            double lambda = 5;
            NDArray a = LeastSquares.direct(c, k, lambda);
            // (λC + KKᵀ)·A = K
            NDArray lhs = c.mul(lambda).add(k.matMul(k.transpose())).matMul(a);
            assertThat(maxAbs(lhs.sub(k))).isLessThan(1e-10);
            NDArray w = LeastSquares.woodbury(c.mul(lambda).inverse(), k);
            assertThat(maxAbs(w.sub(a))).isLessThan(1e-10);
            // the update minimises ‖ΔK − R‖² + λ tr(Δ C Δᵀ): its gradient (ΔK − R)Kᵀ + λΔC vanishes
            NDArray resid = random(m, r, 5, facts);
            NDArray delta = LeastSquares.update(resid, a);
            NDArray grad = delta.matMul(k).sub(resid).matMul(k.transpose()).add(delta.matMul(c).mul(lambda));
            assertThat(maxAbs(grad)).isLessThan(1e-9);
        }
    }

    @Test
    void rankOneUpdateMapsThePlainKeyToItsTarget() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random r = new Random(2);
            int dff = 8, d = 4;
            NDArray sample = random(m, r, 30, dff);
            NDArray cInv = sample.transpose().matMul(sample).div(30).inverse();
            NDArray k = random(m, r, dff, 1).reshape(dff), k0 = k.add(random(m, r, dff, 1).reshape(dff).mul(0.1));
            NDArray w = random(m, r, d, dff), target = random(m, r, d, 1).reshape(d);
            NDArray delta = LeastSquares.rankOne(cInv, k, k0, target.sub(w.matMul(k0)));
            assertThat(maxAbs(w.add(delta).matMul(k0).sub(target))).isLessThan(1e-10);
            // rank one, along C⁻¹k
            NDArray u = cInv.matMul(k);
            NDArray row = delta.get(0);
            double cos = row.dot(u).getDouble() / (row.norm().getDouble() * u.norm().getDouble());
            assertThat(Math.abs(cos)).isCloseTo(1.0, within(1e-10));
        }
    }
}
