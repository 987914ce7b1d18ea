package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;

/** LayerNorm or RMSNorm, computed in float32 whatever the activation dtype (weights are kept in float32). */
final class Norm {
    private final TransformerSpec.NormKind kind;
    private final NDArray weight;
    private final NDArray bias;
    private final float eps;
    private final Shape normalized;

    Norm(TransformerSpec.NormKind kind, NDArray weight, NDArray bias, double eps) {
        this.kind = kind;
        this.weight = weight;
        this.bias = bias;
        this.eps = (float) eps;
        this.normalized = new Shape(weight.getShape().get(0));
    }

    NDArray apply(NDArray x) {
        DataType type = x.getDataType();
        NDArray x32 = x.toType(DataType.FLOAT32, false);
        NDArray y;
        if (kind == TransformerSpec.NormKind.LAYER) {
            y = LayerNorm.layerNorm(x32, normalized, weight, bias, eps).singletonOrThrow();
        } else {
            NDArray meanSquare = x32.square().mean(new int[] {-1}, true);
            y = x32.div(Scalars.plus(meanSquare, eps).sqrt()).mul(weight);
        }
        return y.toType(type, false);
    }
}
