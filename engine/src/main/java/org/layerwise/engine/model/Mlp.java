package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * The feed-forward network. DENSE: down(act(up x)); GATED: down(act(gate x) ⊙ up x). The input of
 * {@code down} is the {@code mlp_in} tap: the key that MEMIT-style editors read and write against.
 */
final class Mlp {
    /** gelu_new(x) = 0.5·x·(1 + tanh(z)) = x·sigmoid(2z), z = √(2/π)·(x + 0.044715·x³) = x·(A/2 + B/2·x²). */
    private static final float GELU_A = (float) (2 * Math.sqrt(2.0 / Math.PI));
    private static final float GELU_B = (float) (2 * Math.sqrt(2.0 / Math.PI) * 0.044715);

    private final TransformerSpec.Activation act;
    private final NDArray gate, gateBias, up, upBias, down, downBias;
    private final String inPoint;
    private final String outPoint;

    Mlp(int layer, TransformerSpec spec, NDArray gate, NDArray gateBias, NDArray up, NDArray upBias,
        NDArray down, NDArray downBias) {
        this(layer, spec.activation(), gate, gateBias, up, upBias, down, downBias);
    }

    /** The same network outside a {@link TransformerSpec} (the encoder-decoder's blocks). */
    Mlp(int layer, TransformerSpec.Activation act, NDArray gate, NDArray gateBias, NDArray up, NDArray upBias,
        NDArray down, NDArray downBias) {
        this.act = act;
        this.gate = gate;
        this.gateBias = gateBias;
        this.up = up;
        this.upBias = upBias;
        this.down = down;
        this.downBias = downBias;
        this.inPoint = Taps.mlpIn(layer);
        this.outPoint = Taps.mlpOut(layer);
    }

    NDArray forward(NDArray x, Pass pass) {
        NDArray h = Attention.linear(x, up, upBias);
        if (gate == null) {
            h = activate(h, pass.inPlace);
        } else {
            NDArray g = activate(Attention.linear(x, gate, gateBias), pass.inPlace);
            h = pass.inPlace ? g.muli(h) : g.mul(h);
        }
        h = pass.tap(inPoint, h);
        return pass.tap(outPoint, Attention.linear(h, down, downBias));
    }

    /**
     * The activation. With autograd off its temporaries are updated in place: fewer large allocations on the
     * widest tensor of the block. (With autograd on, in-place updates would corrupt values saved for backward.)
     */
    private NDArray activate(NDArray x, boolean inPlace) {
        switch (act) {
            case GELU_NEW: {
                NDArray t = x.square();
                // with autograd on, constants must be PyTorch's own (see Scalars): backward keeps them
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
