package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter), as {@code torch.optim.AdamW}:
 * <pre>
 * p ← p − lr·λ·p                       (decay; matrices and embeddings only when decayMatricesOnly)
 * m ← β1·m + (1−β1)·g     v ← β2·v + (1−β2)·g²
 * p ← p − lr · (m / (1−β1^t)) / (√(v / (1−β2^t)) + ε)
 * </pre>
 */
public final class AdamW implements Optimizer {
    private final double beta1, beta2, eps, weightDecay;
    private final boolean decayMatricesOnly;
    private final NDManager manager;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long t;

    public AdamW(NDManager parent, double beta1, double beta2, double eps, double weightDecay, boolean decayMatricesOnly) {
        if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1)
            throw new IllegalArgumentException("AdamW betas must be in [0, 1), not " + beta1 + ", " + beta2);
        if (!(eps > 0)) throw new IllegalArgumentException("AdamW epsilon must be positive, not " + eps);
        if (weightDecay < 0) throw new IllegalArgumentException("weight decay must be ≥ 0, not " + weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decayMatricesOnly = decayMatricesOnly;
        this.manager = parent.newSubManager();
    }

    /** β = (0.9, 0.95), ε = 1e-8, decay 0.1 on matrices and embeddings (the usual GPT recipe). */
    public static AdamW standard(NDManager parent) {
        return new AdamW(parent, 0.9, 0.95, 1e-8, 0.1, true);
    }

    @Override
    public void update(Map<String, NDArray> parameters, Map<String, NDArray> gradients, double rate) {
        t++;
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        try (NDManager scope = manager.newSubManager()) {
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                NDArray g = gradients.get(e.getKey());
                if (g == null) continue;
                NDArray p = e.getValue();
                NDArray mi = m.computeIfAbsent(e.getKey(), k -> manager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
                NDArray vi = v.computeIfAbsent(e.getKey(), k -> manager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
                // results of arithmetic attach to their first operand's manager: keep temporaries in the scope
                scope.tempAttachAll(p, mi, vi, g);
                if (weightDecay > 0 && (!decayMatricesOnly || p.getShape().dimension() >= 2)) p.muli(1 - rate * weightDecay);
                mi.muli(beta1).addi(g.mul(1 - beta1));
                vi.muli(beta2).addi(g.square().muli(1 - beta2));
                NDArray denominator = vi.div(bc2).sqrt().addi(eps);
                p.subi(mi.mul(rate / bc1).divi(denominator));
            }
        }
    }

    @Override public long updates() { return t; }

    @Override
    public Map<String, NDArray> state() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        m.forEach((k, a) -> out.put("exp_avg/" + k, a));
        v.forEach((k, a) -> out.put("exp_avg_sq/" + k, a));
        return out;
    }

    @Override
    public void restore(Map<String, NDArray> state, long updates) {
        m.values().forEach(NDArray::close);
        v.values().forEach(NDArray::close);
        m.clear();
        v.clear();
        state.forEach((k, a) -> {
            NDArray copy = a.duplicate();
            copy.attach(manager);
            if (k.startsWith("exp_avg/")) m.put(k.substring(8), copy);
            else if (k.startsWith("exp_avg_sq/")) v.put(k.substring(11), copy);
            else throw new IllegalArgumentException("AdamW state has an unknown tensor '" + k + "' (expected exp_avg/… or exp_avg_sq/…)");
        });
        t = updates;
    }

    @Override public String name() { return "adamw"; }

    @Override public void close() { manager.close(); }
}
