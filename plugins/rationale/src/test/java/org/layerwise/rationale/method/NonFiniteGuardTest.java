package org.layerwise.rationale.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.train.Optimizer;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NonFiniteGuardTest {
    /** Counts the updates it is given. */
    static final class Counting implements Optimizer {
        long n;
        @Override public void update(Map<String, NDArray> p, Map<String, NDArray> g, double rate) { n++; }
        @Override public long updates() { return n; }
        @Override public Map<String, NDArray> state() { return Map.of(); }
        @Override public void restore(Map<String, NDArray> state, long updates) {}
        @Override public String name() { return "counting"; }
        @Override public void close() {}
    }

    @Test
    void skipsOnlyUpdatesWithANanOrInfiniteGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            Counting inner = new Counting();
            NonFiniteGuard guard = new NonFiniteGuard(inner);
            NDArray w = m.create(new float[] {1, 2});
            guard.update(Map.of("w", w), Map.of("w", m.create(new float[] {0.5f, -1})), 0.1);
            guard.update(Map.of("w", w), Map.of("w", m.create(new float[] {Float.NaN, 0})), 0.1);
            guard.update(Map.of("w", w), Map.of("w", m.create(new float[] {0, Float.NEGATIVE_INFINITY})), 0.1);
            guard.update(Map.of("w", w), Map.of("w", m.create(new float[] {3, 4})), 0.1);
            assertEquals(2, inner.updates());
            assertEquals(2, guard.skipped().size());
            assertTrue(guard.skipped().get(0).contains("[w]"), guard.skipped().get(0));
        }
    }
}
