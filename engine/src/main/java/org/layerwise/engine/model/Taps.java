package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Read, add to, or replace activations at named points of a forward pass (TransformerLens-style names):
 * {@code blocks.{l}.resid_pre}, {@code blocks.{l}.attn_out}, {@code blocks.{l}.mlp_in} (the key entering
 * the MLP output projection: act(up x) or act(gate x)·up x), {@code blocks.{l}.mlp_out},
 * {@code blocks.{l}.resid_post}, {@code final_norm}, {@code logits}.
 *
 * <p>Activations are [batch, tokens, width]; logits are float32 [batch, tokens, vocab]. Actions at one
 * point run in the order they were added, so a record added after an add sees the sum. Recordings are
 * attached to the manager passed to the forward and stay in the autograd graph (call
 * {@code stopGradient()} to detach). Gradients flow through added deltas and replacement values, so an
 * editor can attach a gradient to a delta, run the forward inside a {@code GradientCollector} and
 * optimise it.
 *
 * <p>Shapes of a delta or replacement value: with {@link Positions#all()} anything broadcastable to
 * [batch, tokens, width]; with chosen positions [width] (the same vector at every chosen position),
 * [count, width] or [batch, count, width].
 *
 * <p>A Taps object is not thread-safe; use one per forward pass at a time. {@link #none()} costs nothing.
 */
public final class Taps {
    public static final String FINAL_NORM = "final_norm";
    public static final String LOGITS = "logits";

    public static String residPre(int layer) { return "blocks." + layer + ".resid_pre"; }
    public static String attnOut(int layer) { return "blocks." + layer + ".attn_out"; }
    public static String mlpIn(int layer) { return "blocks." + layer + ".mlp_in"; }
    public static String mlpOut(int layer) { return "blocks." + layer + ".mlp_out"; }
    public static String residPost(int layer) { return "blocks." + layer + ".resid_post"; }

    /** Every tap point of a model with {@code layers} blocks, in forward order. */
    public static List<String> pointsOf(int layers) {
        List<String> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            out.add(residPre(l)); out.add(attnOut(l)); out.add(mlpIn(l)); out.add(mlpOut(l)); out.add(residPost(l));
        }
        out.add(FINAL_NORM);
        out.add(LOGITS);
        return out;
    }

    private static final Taps NONE = new Taps(true);

    private final boolean frozen;
    private final List<Action> actions = new ArrayList<>();
    private final Map<String, NDArray> recordings = new LinkedHashMap<>();

    private Taps(boolean frozen) { this.frozen = frozen; }

    /** No taps: the forward pass does no extra work. */
    public static Taps none() { return NONE; }

    public static Taps create() { return new Taps(false); }

    /** Keeps the activation at {@code point} (all positions) after each forward. */
    public Taps record(String point) { return record(point, Positions.all()); }

    /** Keeps the activation at {@code point} at the chosen positions: [batch, count, width]. */
    public Taps record(String point, Positions positions) {
        return add(new Action(point, Kind.RECORD, null, positions, null));
    }

    /** Adds {@code delta} at every position. */
    public Taps add(String point, NDArray delta) { return add(point, delta, Positions.all()); }

    /** Adds {@code delta} at the chosen positions. */
    public Taps add(String point, NDArray delta, Positions positions) {
        return add(new Action(point, Kind.ADD, delta, positions, null));
    }

    /** Replaces the activation at every position with {@code value}. */
    public Taps replace(String point, NDArray value) { return replace(point, value, Positions.all()); }

    /** Replaces the activation at the chosen positions with {@code value}. */
    public Taps replace(String point, NDArray value, Positions positions) {
        return add(new Action(point, Kind.REPLACE, value, positions, null));
    }

    /**
     * Calls {@code hook} at {@code point}; the point may use {@code *} for the layer number
     * (e.g. {@code blocks.*.resid_post}).
     */
    public Taps hook(String pointOrPattern, TapHook hook) {
        return add(new Action(pointOrPattern, Kind.HOOK, null, Positions.all(), hook));
    }

    private Taps add(Action a) {
        if (frozen) throw new UnsupportedOperationException("Taps.none() cannot be changed; use Taps.create()");
        actions.add(a);
        return this;
    }

    public boolean isEmpty() { return actions.isEmpty(); }

    /** The activation recorded at {@code point} by the last forward pass. */
    public NDArray recorded(String point) {
        NDArray a = recordings.get(point);
        if (a == null) throw new IllegalStateException("No recording at '" + point + "'; recorded: " + recordings.keySet()
                + (actions.stream().anyMatch(x -> x.kind == Kind.RECORD && x.point.equals(point))
                        ? " (run a forward pass first)" : " (add Taps.record(\"" + point + "\") before the forward)"));
        return a;
    }

    /** Every recording of the last forward pass, in forward order. */
    public Map<String, NDArray> recordings() { return Collections.unmodifiableMap(recordings); }

    /** The point names (and patterns) this object acts on. */
    public Set<String> points() {
        Set<String> out = new LinkedHashSet<>();
        for (Action a : actions) out.add(a.point);
        return out;
    }

    // ---------------------------------------------------------------- used by the forward pass

    /** Checks every named point exists, before any work. */
    void validate(Set<String> validPoints, int layers) {
        for (Action a : actions) {
            boolean ok = a.pattern != null
                    ? validPoints.stream().anyMatch(p -> a.pattern.matcher(p).matches())
                    : validPoints.contains(a.point);
            if (!ok) throw new IllegalArgumentException("Unknown tap point '" + a.point + "'; this model has "
                    + "blocks.{0.." + (layers - 1) + "}.{resid_pre, attn_out, mlp_in, mlp_out, resid_post}, "
                    + FINAL_NORM + ", " + LOGITS);
        }
    }

    void beginPass() { recordings.clear(); }

    /** Runs the actions for {@code point}; recordings are attached to {@code keep}. */
    NDArray apply(String point, NDArray x, NDManager keep) {
        for (Action a : actions) {
            if (a.matches(point)) x = a.run(point, x, keep, recordings);
        }
        return x;
    }

    private enum Kind { RECORD, ADD, REPLACE, HOOK }

    private static final class Action {
        final String point;
        final Pattern pattern;
        final Kind kind;
        final NDArray value;
        final Positions positions;
        final TapHook hook;

        Action(String point, Kind kind, NDArray value, Positions positions, TapHook hook) {
            if (point == null || point.isBlank()) throw new IllegalArgumentException("tap point name is required");
            if ((kind == Kind.ADD || kind == Kind.REPLACE) && value == null)
                throw new IllegalArgumentException("tap " + kind.name().toLowerCase() + " at '" + point + "' needs an array");
            this.point = point;
            this.pattern = point.contains("*") ? Pattern.compile(Pattern.quote(point).replace("*", "\\E\\d+\\Q")) : null;
            this.kind = kind;
            this.value = value;
            this.positions = positions;
            this.hook = hook;
        }

        boolean matches(String p) { return pattern == null ? point.equals(p) : pattern.matcher(p).matches(); }

        NDArray run(String p, NDArray x, NDManager keep, Map<String, NDArray> recordings) {
            switch (kind) {
                case HOOK: {
                    NDArray out = hook.apply(p, x);
                    if (out == null || !out.getShape().equals(x.getShape()))
                        throw new IllegalStateException("Tap hook at '" + p + "' must return an array of shape " + x.getShape()
                                + ", returned " + (out == null ? "null" : out.getShape()));
                    return out.toType(x.getDataType(), false);
                }
                case RECORD: {
                    NDArray r = positions.isAll() ? x : gather(x);
                    r.attach(keep);
                    recordings.put(p, r);
                    return x;
                }
                case ADD:
                    return x.add(spread(x, local(x)));
                case REPLACE: {
                    NDArray v = local(x);
                    if (positions.isAll()) return x.zerosLike().add(v);
                    NDArray chosen = selector(x).sum(new int[] {2}, true);      // [B, T, 1], 1 at chosen positions
                    return x.mul(chosen.neg().add(1)).add(spread(x, v));
                }
                default:
                    throw new IllegalStateException(kind.name());
            }
        }

        /** The value in x's dtype and device; a converted copy lives in x's scope (still in the graph). */
        private NDArray local(NDArray x) {
            NDArray v = value.toDevice(x.getDevice(), false);
            NDArray typed = v.toType(x.getDataType(), false);
            if (v != value && v != typed) v.attach(x.getManager());
            if (typed != value) typed.attach(x.getManager());
            long width = x.getShape().get(2);
            Shape s = typed.getShape();
            if (!positions.isAll() && (s.dimension() == 0 || s.get(s.dimension() - 1) != width))
                throw new IllegalArgumentException("Tap " + kind.name().toLowerCase() + " at '" + point + "': array shape " + s
                        + " does not end in the activation width " + width + " (activation " + x.getShape() + ")");
            return typed;
        }

        /** The value laid out over [B, T, W]: zero except at the chosen positions. */
        private NDArray spread(NDArray x, NDArray v) {
            if (positions.isAll()) return v;
            NDArray sel = selector(x);                                         // [B, T, P]
            int dims = v.getShape().dimension();
            if (dims == 1) return sel.sum(new int[] {2}, true).mul(v);        // same vector at each chosen position
            if (dims == 2 || dims == 3) {
                long p = v.getShape().get(dims - 2);
                if (p != sel.getShape().get(2) || dims == 3 && v.getShape().get(0) != x.getShape().get(0))
                    throw new IllegalArgumentException("Tap " + kind.name().toLowerCase() + " at '" + point + "': array "
                            + v.getShape() + " does not match " + sel.getShape().get(2) + " positions × batch " + x.getShape().get(0));
                return sel.matMul(v);
            }
            throw new IllegalArgumentException("Tap array at '" + point + "' must be [W], [P, W] or [B, P, W], got " + v.getShape());
        }

        /** One-hot [B, T, P] in x's dtype: column p marks the p-th chosen position of each row. */
        private NDArray selector(NDArray x) {
            Shape s = x.getShape();
            NDArray idx = positions.indices(x.getManager(), s.get(0), s.get(1)).toDevice(x.getDevice(), false);
            NDArray tokens = x.getManager().arange(0, (int) s.get(1), 1, DataType.INT64)
                    .toDevice(x.getDevice(), false);
            return idx.expandDims(1).eq(tokens.reshape(1, -1, 1)).toType(x.getDataType(), false);
        }

        private NDArray gather(NDArray x) {
            Shape s = x.getShape();
            NDArray idx = positions.indices(x.getManager(), s.get(0), s.get(1)).toDevice(x.getDevice(), false);
            long count = idx.getShape().get(1);
            return x.gather(idx.reshape(s.get(0), count, 1).broadcast(s.get(0), count, s.get(2)), 1);
        }
    }
}
