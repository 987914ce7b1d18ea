package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stochastic gradient descent with (heavy-ball) momentum and coupled L2 weight decay, as
 * {@code torch.optim.SGD}: {@code g ← g + λp; b ← μb + g (b = g at the first step); p ← p − lr·b}.
 */
public final class Sgd implements Optimizer {
    private final double momentum, weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();
    private long t;

    public Sgd(NDManager parent, double momentum, double weightDecay) {
        if (momentum < 0 || momentum >= 1) throw new IllegalArgumentException("momentum must be in [0, 1), not " + momentum);
        if (weightDecay < 0) throw new IllegalArgumentException("weight decay must be ≥ 0, not " + weightDecay);
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.manager = parent.newSubManager();
    }

    @Override
    public void update(Map<String, NDArray> parameters, Map<String, NDArray> gradients, double rate) {
        t++;
        try (NDManager scope = manager.newSubManager()) {
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                NDArray g = gradients.get(e.getKey());
                if (g == null) continue;
                NDArray p = e.getValue();
                scope.tempAttachAll(p, g);
                NDArray step = weightDecay > 0 ? g.add(p.mul(weightDecay)) : g;
                if (momentum > 0) {
                    NDArray b = buffers.get(e.getKey());
                    if (b == null) {
                        b = step.duplicate();
                        b.attach(manager);
                        buffers.put(e.getKey(), b);
                    } else {
                        scope.tempAttachAll(b);
                        b.muli(momentum).addi(step);
                    }
                    step = b;
                }
                p.subi(step.mul(rate));
            }
        }
    }

    @Override public long updates() { return t; }

    @Override
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        buffers.forEach((k, a) -> out.put("momentum/" + k, a));
        return out;
    }

    @Override
    public void restore(Map<String, NDArray> state, long updates) {
        buffers.values().forEach(NDArray::close);
        buffers.clear();
        state.forEach((k, a) -> {
            if (!k.startsWith("momentum/"))
                throw new IllegalArgumentException("SGD state has an unknown tensor '" + k + "' (expected momentum/…)");
            NDArray copy = a.duplicate();
            copy.attach(manager);
            buffers.put(k.substring(9), copy);
        });
        t = updates;
    }

    @Override public String name() { return "sgd"; }

    @Override public void close() { manager.close(); }
}
