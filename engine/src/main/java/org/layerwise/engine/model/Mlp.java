package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * The feed-forward network. DENSE: down(act(up x)); GATED: down(act(gate x) ⊙ up x). The input of
 * {@code down} is the {@code mlp_in} tap: the key that MEMIT-style editors read and write against.
 */
final class Mlp {
    private static final float GELU_C = (float) Math.sqrt(2.0 / Math.PI);

    private final TransformerSpec.Activation act;
    private final NDArray gate, gateBias, up, upBias, down, downBias;
    private final String inPoint;
    private final String outPoint;

    Mlp(int layer, TransformerSpec spec, NDArray gate, NDArray gateBias, NDArray up, NDArray upBias,
        NDArray down, NDArray downBias) {
        this.act = spec.activation();
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
        h = gate == null ? activate(h) : activate(Attention.linear(x, gate, gateBias)).mul(h);
        h = pass.tap(inPoint, h);
        return pass.tap(outPoint, Attention.linear(h, down, downBias));
    }

    private NDArray activate(NDArray x) {
        switch (act) {
            case GELU_NEW: // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
                return x.mul(0.5f).mul(x.add(x.pow(3).mul(0.044715f)).mul(GELU_C).tanh().add(1f));
            case GELU: return Activation.gelu(x);
            case RELU: return Activation.relu(x);
            case SILU: return x.mul(Activation.sigmoid(x));
            default: throw new IllegalStateException(act.name());
        }
    }
}
