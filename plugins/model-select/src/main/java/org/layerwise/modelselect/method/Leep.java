package org.layerwise.modelselect.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * LEEP, the log expected empirical prediction (Nguyen et al. 2020): how well a source model's soft
 * predictions θ(x) over its own labels z transfer to target labels y. With the empirical joint
 * P̂(y, z) = (1/n) Σ_{i: y_i = y} θ(x_i)_z and P̂(y | z) = P̂(y, z) / P̂(z),
 * LEEP = (1/n) Σ_i log Σ_z P̂(y_i | z) θ(x_i)_z. It is ≤ 0; closer to 0 means a better fit.
 */
public final class Leep {
    private Leep() {}

    /**
     * @param sourceProbabilities [n, Z] rows of θ(x_i) (each summing to 1), float32
     * @param labels              the n target labels, each in [0, labelCount)
     */
    public static double score(NDArray sourceProbabilities, int[] labels, int labelCount) {
        long n = sourceProbabilities.getShape().get(0);
        if (n != labels.length)
            throw new IllegalArgumentException(n + " prediction rows but " + labels.length + " labels");
        for (int y : labels)
            if (y < 0 || y >= labelCount) throw new IllegalArgumentException("label " + y + " is outside [0, " + labelCount + ")");
        try (NDManager m = sourceProbabilities.getManager().newSubManager()) {
            NDArray theta = sourceProbabilities.toType(DataType.FLOAT64, true);
            theta.attach(m);
            NDArray y = m.create(labels).toType(DataType.INT64, false);
            NDArray oneHot = y.oneHot(labelCount).toType(DataType.FLOAT64, false);     // [n, Y]
            NDArray joint = oneHot.transpose().matMul(theta).div(n);                    // [Y, Z]
            NDArray marginal = joint.sum(new int[] {0}, true);                          // [1, Z]
            // a source label never predicted has P̂(z) = 0 and θ_z = 0 everywhere: its term is 0, not NaN
            NDArray conditional = joint.div(marginal.maximum(1e-300));                  // P̂(y | z)
            NDArray expected = theta.matMul(conditional.transpose());                   // [n, Y]
            NDArray picked = expected.mul(oneHot).sum(new int[] {1});                   // [n]
            return picked.log().mean().getDouble();
        }
    }
}
