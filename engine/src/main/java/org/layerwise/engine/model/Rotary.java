package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

/**
 * Rotary position embedding on the first {@code rotaryDim} dims of each head. Angles θ_i = theta^(−2i/r)
 * times the position, computed in float32 as Hugging Face does. HALF pairs dim i with i + r/2
 * ("rotate_half", LLaMA); INTERLEAVED pairs 2i with 2i+1 (GPT-J).
 */
final class Rotary {
    private final TransformerSpec.RotaryStyle style;
    private final int dim;
    private final int headDim;
    /** [maxPositions, dim] tables in the compute dtype, owned by the model. */
    private final NDArray cosTable;
    private final NDArray sinTable;

    Rotary(TransformerSpec spec, NDManager owner, DataType type) {
        this.style = spec.rotary();
        this.dim = spec.rotaryDim();
        this.headDim = spec.headDim();
        try (NDManager tmp = owner.newSubManager()) {
            NDArray exponents = tmp.arange(0, dim, 2, DataType.INT64).toType(DataType.FLOAT32, false).div(dim);
            NDArray invFreq = tmp.ones(new Shape(dim / 2))
                    .div(tmp.full(new Shape(dim / 2), (float) spec.ropeTheta(), DataType.FLOAT32).pow(exponents));
            NDArray pos = tmp.arange(0, spec.maxPositions(), 1, DataType.INT64).toType(DataType.FLOAT32, false);
            NDArray freqs = pos.reshape(-1, 1).mul(invFreq.reshape(1, -1));                 // [P, r/2]
            NDArray angles = style == TransformerSpec.RotaryStyle.HALF
                    ? freqs.concat(freqs, 1)                                                  // f0..f(r/2-1), f0..
                    : freqs.stack(freqs, 2).reshape(spec.maxPositions(), dim);                // f0, f0, f1, f1, ..
            cosTable = angles.cos().toType(type, false);
            sinTable = angles.sin().toType(type, false);
            cosTable.attach(owner);
            sinTable.attach(owner);
        }
    }

    /** cos and sin for the given positions ([B or 1, T] int64): two arrays [B or 1, T, 1, dim]. */
    NDArray[] at(NDArray positions) {
        NDArray cos = Embedding.embedding(positions, cosTable, SparseFormat.DENSE).singletonOrThrow().expandDims(2);
        NDArray sin = Embedding.embedding(positions, sinTable, SparseFormat.DENSE).singletonOrThrow().expandDims(2);
        return new NDArray[] {cos, sin};
    }

    /** Rotates x [B, T, heads, headDim]. */
    NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        NDArray rot = dim == headDim ? x : x.get("..., :" + dim);
        NDArray turned;
        if (style == TransformerSpec.RotaryStyle.HALF) {
            int half = dim / 2;
            turned = rot.get("..., " + half + ":").neg().concat(rot.get("..., :" + half), -1);
        } else {
            Shape s = rot.getShape();
            turned = rot.get("..., 1::2").neg().stack(rot.get("..., ::2"), -1).reshape(s);
        }
        NDArray out = rot.mul(cos).add(turned.mul(sin));
        return dim == headDim ? out : NDArrays.concat(new ai.djl.ndarray.NDList(out, x.get("..., " + dim + ":")), -1);
    }
}
