package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.Map;

/** Clipping by global norm, as {@code torch.nn.utils.clip_grad_norm_}: g ← g · min(1, max / (‖g‖ + 1e-6)). */
public final class GradientClipping {
    private GradientClipping() {}

    /** The global L2 norm over all gradients. */
    public static double globalNorm(Map<String, NDArray> gradients, NDManager scope) {
        NDArray total = scope.zeros(new ai.djl.ndarray.types.Shape(), ai.djl.ndarray.types.DataType.FLOAT32);
        for (NDArray g : gradients.values()) {
            NDArray sq = g.square().sum();
            sq.attach(scope);
            total = total.add(sq.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toDevice(total.getDevice(), false));
        }
        return Math.sqrt(total.getFloat());
    }

    /**
     * Scales the gradients in place so that their global norm is at most {@code maxNorm} (0 = no clipping);
     * returns the norm before clipping.
     */
    public static double clip(Map<String, NDArray> gradients, double maxNorm, NDManager scope) {
        double norm = globalNorm(gradients, scope);
        if (maxNorm > 0 && norm > maxNorm) {
            float factor = (float) (maxNorm / (norm + 1e-6));
            for (NDArray g : gradients.values()) g.muli(factor);
        }
        return norm;
    }
}
