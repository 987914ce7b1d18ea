package org.layerwise.rationale.method;

import ai.djl.ndarray.NDArray;
import org.layerwise.engine.train.Optimizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Wraps an optimiser and skips an update whose gradients hold a NaN or an infinity (as mixed-precision loss scalers
 * do), so one bad batch cannot turn every weight into NaN. Rare here: on the sample models a fine-tuning run hit a
 * non-finite gradient with a finite loss about once in a few thousand steps, on the largest model only. Skipped
 * steps and the parameters whose gradient was not finite are kept for the run's log.
 */
public final class NonFiniteGuard implements Optimizer {
    private final Optimizer inner;
    private final List<String> skipped = new ArrayList<>();

    public NonFiniteGuard(Optimizer inner) { this.inner = inner; }

    @Override
    public void update(Map<String, NDArray> parameters, Map<String, NDArray> gradients, double rate) {
        List<String> bad = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : gradients.entrySet()) {
            NDArray g = e.getValue();
            try (NDArray nan = g.isNaN().any(); NDArray inf = g.isInfinite().any()) {
                if (nan.getBoolean() || inf.getBoolean()) bad.add(e.getKey());
            }
        }
        if (bad.isEmpty()) inner.update(parameters, gradients, rate);
        else skipped.add("update " + (inner.updates() + skipped.size() + 1) + ": non-finite gradient in " + bad);
    }

    /** One line per skipped update. */
    public List<String> skipped() { return List.copyOf(skipped); }

    @Override public long updates() { return inner.updates(); }

    @Override public Map<String, NDArray> state() { return inner.state(); }

    @Override public void restore(Map<String, NDArray> state, long updates) { inner.restore(state, updates); }

    @Override public String name() { return inner.name(); }

    @Override public void close() { inner.close(); }
}
