package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The feed-forward activations of {@link TransformerSpec.Activation}, shared by the blocks and the training heads. */
public final class Activations {
    /** gelu_new(x) = 0.5·x·(1 + tanh(z)) = x·sigmoid(2z), z = √(2/π)·(x + 0.044715·x³) = x·(A/2 + B/2·x²). */
    private static final float GELU_A = (float) (2 * Math.sqrt(2.0 / Math.PI));
    private static final float GELU_B = (float) (2 * Math.sqrt(2.0 / Math.PI) * 0.044715);

    private Activations() {}

    /**
     * {@code act(x)}. With {@code inPlace} (autograd off only) the temporaries are updated in place: fewer large
     * allocations on the widest tensor of a block; with autograd on, in-place updates would corrupt values saved for
     * backward, and the constants must be PyTorch's own (see {@link Scalars}).
     */
    public static NDArray apply(TransformerSpec.Activation act, NDArray x, boolean inPlace) {
        switch (act) {
            case GELU_NEW: {
                NDArray t = x.square();
                t = inPlace ? t.muli(GELU_B).addi(GELU_A).muli(x) : Scalars.plus(Scalars.times(t, GELU_B), GELU_A).mul(x);
                NDArray s = Activation.sigmoid(t);
                return inPlace ? s.muli(x) : s.mul(x);
            }
            case GELU: return Activation.gelu(x);
            case RELU: return Activation.relu(x);
            case SILU: {
                NDArray s = Activation.sigmoid(x);
                return inPlace ? s.muli(x) : s.mul(x);
            }
            default: throw new IllegalStateException(act.name());
        }
    }
}
