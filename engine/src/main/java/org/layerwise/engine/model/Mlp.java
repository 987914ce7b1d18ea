package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * The feed-forward network. DENSE: down(act(up x)); GATED: down(act(gate x) ⊙ up x). The input of
 * {@code down} is the {@code mlp_in} tap: the key that MEMIT-style editors read and write against.
 */
final class Mlp {
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

    private NDArray activate(NDArray x, boolean inPlace) {
        return Activations.apply(act, x, inPlace);
    }
}
