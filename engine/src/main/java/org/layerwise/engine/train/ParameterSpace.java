package org.layerwise.engine.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import org.layerwise.engine.model.GradMode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Vector arithmetic on named parameter sets ({@code Map<String, NDArray>}, the same names and shapes as a
 * model's parameters), so the second-order and landscape tools treat a whole model as one vector θ.
 * Results live in the caller's {@code scope}; in-place updates of live parameters run with autograd off
 * (PyTorch forbids in-place changes of leaves that require gradients while it records).
 */
public final class ParameterSpace {
    private ParameterSpace() {}

    /**
     * ∇θ loss at the parameters' current values, as detached copies in {@code scope}. Any gradient left on
     * the parameters is cleared before and after, so calls do not accumulate. Only one gradient collector may
     * run at a time in a process (DJL).
     */
    public static Map<String, NDArray> gradient(Map<String, NDArray> parameters, ParameterLoss loss, NDManager scope) {
        for (NDArray p : parameters.values()) if (!p.hasGradient()) p.setRequiresGradient(true);
        clearGradients(parameters);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector(); NDManager work = scope.newSubManager()) {
            collector.backward(loss.loss(work));
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (GradMode off = GradMode.off()) {
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                NDArray p = e.getValue();
                NDArray g = gradientOrNull(p);
                if (g == null) {                      // not reached by this loss (e.g. another task's head)
                    out.put(e.getKey(), scope.zeros(p.getShape(), p.getDataType(), p.getDevice()));
                    continue;
                }
                g.attach(scope);                      // a handle on the gradient storage: copy it, then clear the storage
                NDArray copy = g.duplicate();
                g.set(new NDIndex("..."), 0);
                out.put(e.getKey(), copy);
            }
        }
        return out;
    }

    /** The loss value (no gradient recorded). */
    public static double value(ParameterLoss loss, NDManager scope) {
        try (GradMode off = GradMode.off(); NDManager work = scope.newSubManager()) {
            return loss.loss(work).toType(DataType.FLOAT64, false).getDouble();
        }
    }

    /** Sets every stored gradient of these parameters to zero (a NaN too). */
    public static void clearGradients(Map<String, NDArray> parameters) {
        try (GradMode off = GradMode.off(); NDManager scope = NDManager.newBaseManager()) {
            for (NDArray p : parameters.values()) {
                NDArray g = p.hasGradient() ? gradientOrNull(p) : null;
                if (g == null) continue;
                g.attach(scope);
                g.set(new NDIndex("..."), 0);
            }
        }
    }

    private static NDArray gradientOrNull(NDArray p) {
        try {
            return p.getGradient();
        } catch (RuntimeException e) {
            return null;    // no gradient yet (never reached by a backward pass)
        }
    }

    /** Detached copies of the current values, in {@code scope} (a snapshot such as w*). */
    public static Map<String, NDArray> copy(Map<String, NDArray> parameters, NDManager scope) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (GradMode off = GradMode.off()) {
            for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
                NDArray c = e.getValue().duplicate();
                c.attach(scope);
                if (c.hasGradient()) c.setRequiresGradient(false);
                out.put(e.getKey(), c);
            }
        }
        return out;
    }

    /** Σ_k ⟨a_k, b_k⟩ over the names of {@code a}. */
    public static double dot(Map<String, NDArray> a, Map<String, NDArray> b) {
        double s = 0;
        try (GradMode off = GradMode.off(); NDManager scope = NDManager.newBaseManager()) {
            for (Map.Entry<String, NDArray> e : a.entrySet()) {
                NDArray x = e.getValue(), y = b.get(e.getKey());
                if (y == null) throw new IllegalArgumentException("parameter '" + e.getKey() + "' is missing from the second vector");
                ParameterSpace.hold(scope, x, y);
                s += x.toType(DataType.FLOAT64, false).mul(y.toType(DataType.FLOAT64, false)).sum().getDouble();
            }
        }
        return s;
    }

    public static double norm(Map<String, NDArray> a) { return Math.sqrt(dot(a, a)); }

    /** a ← a + s·b, in place (a may be live parameters). */
    public static void addScaledInPlace(Map<String, NDArray> a, Map<String, NDArray> b, double s) {
        try (GradMode off = GradMode.off(); NDManager scope = NDManager.newBaseManager()) {
            for (Map.Entry<String, NDArray> e : a.entrySet()) {
                NDArray y = b.get(e.getKey());
                if (y == null) continue;
                NDArray x = e.getValue();
                ParameterSpace.hold(scope, x, y);
                x.addi(y.mul(s));
            }
        }
    }

    /** a ← b (values copied in place, so live parameters keep their identity). */
    public static void assignInPlace(Map<String, NDArray> a, Map<String, NDArray> b) {
        try (GradMode off = GradMode.off()) {
            for (Map.Entry<String, NDArray> e : a.entrySet()) {
                NDArray y = b.get(e.getKey());
                if (y != null) e.getValue().set(new NDIndex("..."), y);
            }
        }
    }

    /** s·a + t·b as new arrays in {@code scope} (names of {@code a}). */
    public static Map<String, NDArray> combine(Map<String, NDArray> a, double s, Map<String, NDArray> b, double t, NDManager scope) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (GradMode off = GradMode.off()) {
            for (Map.Entry<String, NDArray> e : a.entrySet()) {
                NDArray x = e.getValue(), y = b.get(e.getKey());
                NDArray r;
                try (NDManager tmp = scope.newSubManager()) {
                    ParameterSpace.hold(tmp, x, y);
                    r = x.mul(s).add(y.mul(t));
                    r.attach(scope);
                }
                out.put(e.getKey(), r);
            }
        }
        return out;
    }

    /** a / ‖a‖ as new arrays in {@code scope}. */
    public static Map<String, NDArray> normalised(Map<String, NDArray> a, NDManager scope) {
        double n = norm(a);
        if (!(n > 0)) throw new IllegalArgumentException("cannot normalise a zero vector");
        return combine(a, 1 / n, a, 0, scope);
    }

    /** A standard-normal vector shaped like {@code like}, drawn from {@code random} (reproducible, on the parameters' device). */
    public static Map<String, NDArray> gaussianLike(Map<String, NDArray> like, Random random, NDManager scope) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : like.entrySet()) {
            NDArray p = e.getValue();
            float[] v = new float[Math.toIntExact(p.size())];
            for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();
            out.put(e.getKey(), scope.create(v, p.getShape()).toDevice(p.getDevice(), false));
        }
        return out;
    }

    /** A Rademacher (±1) vector shaped like {@code like}: the probe for Hutchinson's trace estimator. */
    public static Map<String, NDArray> rademacherLike(Map<String, NDArray> like, Random random, NDManager scope) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : like.entrySet()) {
            NDArray p = e.getValue();
            float[] v = new float[Math.toIntExact(p.size())];
            for (int i = 0; i < v.length; i++) v[i] = random.nextBoolean() ? 1f : -1f;
            out.put(e.getKey(), scope.create(v, p.getShape()).toDevice(p.getDevice(), false));
        }
        return out;
    }

    /**
     * Attaches arrays to {@code scope} until it closes, so arithmetic on them allocates there (results go to
     * the first operand's manager); each distinct array once, because attaching one twice would make the
     * scope its owner and close it with the scope.
     */
    public static void hold(NDManager scope, NDArray... arrays) {
        java.util.Set<NDArray> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (NDArray a : arrays) if (a != null && seen.add(a) && a.getManager() != scope) scope.tempAttachAll(a);
    }

    /** Number of scalars. */
    public static long size(Map<String, NDArray> a) {
        long n = 0;
        for (NDArray x : a.values()) n += x.size();
        return n;
    }
}
