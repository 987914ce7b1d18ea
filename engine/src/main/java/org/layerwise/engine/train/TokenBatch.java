package org.layerwise.engine.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.List;
import java.util.function.IntBinaryOperator;

/**
 * Token sequences of one batch, right-padded to the longest row. Padding positions are masked out of
 * attention and of the loss. Besides the tokens a batch may carry what other targets need (see
 * {@link TrainingExample}): segment ids per token, one label per row, decoder target tokens per row.
 *
 * @param index    the batch's index in its {@link BatchSource} (-1 when it has none): objectives that draw random
 *                 choices per batch (masking) seed them with it, so reruns and resumes draw the same
 * @param segments segment ids per row (each as long as its row), or null
 * @param labels   one label per row, or null
 * @param targets  decoder target tokens per row, or null
 */
public record TokenBatch(List<int[]> rows, long index, List<int[]> segments, int[] labels, List<int[]> targets) {
    public TokenBatch {
        if (rows.isEmpty()) throw new IllegalArgumentException("A batch needs at least one sequence");
        rows = List.copyOf(rows);
        if (segments != null) {
            if (segments.size() != rows.size()) throw new IllegalArgumentException("segments must give one row per sequence");
            for (int i = 0; i < rows.size(); i++)
                if (segments.get(i).length != rows.get(i).length)
                    throw new IllegalArgumentException("segment row " + i + " must be as long as its sequence");
            segments = List.copyOf(segments);
        }
        if (labels != null && labels.length != rows.size()) throw new IllegalArgumentException("labels must give one per sequence");
        if (targets != null) {
            if (targets.size() != rows.size()) throw new IllegalArgumentException("targets must give one per sequence");
            targets = List.copyOf(targets);
        }
    }

    public TokenBatch(List<int[]> rows, long index) {
        this(rows, index, null, null, null);
    }

    public TokenBatch(List<int[]> rows) {
        this(rows, -1);
    }

    /** A batch of examples; segments, labels and targets are kept when the first example has them. */
    public static TokenBatch of(List<TrainingExample> examples, long index) {
        if (examples.isEmpty()) throw new IllegalArgumentException("A batch needs at least one sequence");
        TrainingExample first = examples.get(0);
        List<int[]> rows = new java.util.ArrayList<>(), segments = first.segments() == null ? null : new java.util.ArrayList<>(),
                targets = first.target() == null ? null : new java.util.ArrayList<>();
        int[] labels = first.label() < 0 ? null : new int[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            TrainingExample e = examples.get(i);
            rows.add(e.tokens());
            if (segments != null) segments.add(e.segments() != null ? e.segments() : ones(e.tokens().length));
            if (labels != null) labels[i] = e.label();
            if (targets != null) targets.add(e.target() != null ? e.target() : new int[0]);
        }
        return new TokenBatch(rows, index, segments, labels, targets);
    }

    private static int[] ones(int n) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }

    /** Segment ids [B, T] as int64 (0 on padding), or null when the batch has none. */
    public NDArray segments(NDManager m) {
        return segments == null ? null : padded(m, (b, i) -> segments.get(b)[i]);
    }

    /** The labels [B] as int64; throws when the batch has none. */
    public NDArray labels(NDManager m) {
        if (labels == null) throw new IllegalArgumentException("The batch has no labels (a cls or sp target needs labelled examples)");
        long[] l = new long[labels.length];
        for (int i = 0; i < l.length; i++) l[i] = labels[i];
        return m.create(l, new Shape(l.length));
    }

    public int width() {
        int w = 0;
        for (int[] r : rows) w = Math.max(w, r.length);
        return w;
    }

    /** Real tokens in the batch. */
    public long tokenCount() {
        long n = 0;
        for (int[] r : rows) n += r.length;
        return n;
    }

    /** Next-token predictions the batch holds: each row predicts all its tokens but the first. */
    public long predictionCount() {
        long n = 0;
        for (int[] r : rows) n += Math.max(0, r.length - 1);
        return n;
    }

    /** Token ids [B, T] as int64, padding 0. */
    public NDArray ids(NDManager m) {
        return padded(m, (b, i) -> rows.get(b)[i]);
    }

    /** Attention mask [B, T] as int64: 1 for real tokens, 0 for padding. */
    public NDArray mask(NDManager m) {
        return padded(m, (b, i) -> 1);
    }

    /** The model's inputs (ids, mask, segments or null), moved to {@code device}: what every token objective feeds. */
    Inputs inputs(NDManager m, Device device) {
        NDArray segments = segments(m);
        return new Inputs(ids(m).toDevice(device, false), mask(m).toDevice(device, false),
                segments == null ? null : segments.toDevice(device, false));
    }

    /** Ids [B, T], mask [B, T] and segments [B, T] (or null) on the model's device. */
    record Inputs(NDArray ids, NDArray mask, NDArray segments) {}

    /** [B, T] int64 with {@code value(b, i)} at each real position of row b, 0 on padding. */
    private NDArray padded(NDManager m, IntBinaryOperator value) {
        int w = width();
        long[] flat = new long[rows.size() * w];
        for (int b = 0; b < rows.size(); b++) {
            for (int i = 0; i < rows.get(b).length; i++) flat[b * w + i] = value.applyAsInt(b, i);
        }
        return m.create(flat, new Shape(rows.size(), w));
    }
}
