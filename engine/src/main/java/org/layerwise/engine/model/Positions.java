package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/**
 * Which token positions a tap acts on: all of them, the same positions in every row of the batch, or
 * one list of positions per row (e.g. the last subject token of each prompt). A negative position counts
 * from the end of the (padded) sequence, so -1 is the last token.
 */
public final class Positions {
    private static final Positions ALL = new Positions(null, false);

    /** null for all positions; otherwise one row (shared) or one row per batch row. */
    private final int[][] rows;
    private final boolean perRow;

    private Positions(int[][] rows, boolean perRow) {
        this.rows = rows;
        this.perRow = perRow;
    }

    public static Positions all() { return ALL; }

    /** The same positions in every row of the batch. */
    public static Positions of(int... positions) {
        if (positions.length == 0) throw new IllegalArgumentException("Positions.of needs at least one position");
        return new Positions(new int[][] {positions.clone()}, false);
    }

    /** The last token of every row. */
    public static Positions last() { return of(-1); }

    /** One position per batch row: row b acts at {@code positionOfRow[b]}. */
    public static Positions perRow(int... positionOfRow) {
        int[][] r = new int[positionOfRow.length][];
        for (int b = 0; b < r.length; b++) r[b] = new int[] {positionOfRow[b]};
        return perRow(r);
    }

    /** Row b acts at {@code positions[b]}; every row must name the same number of positions. */
    public static Positions perRow(int[][] positions) {
        if (positions.length == 0) throw new IllegalArgumentException("Positions.perRow needs at least one row");
        int p = positions[0].length;
        int[][] copy = new int[positions.length][];
        for (int b = 0; b < positions.length; b++) {
            if (positions[b].length != p || p == 0)
                throw new IllegalArgumentException("Positions.perRow: every row needs the same, non-zero number of "
                        + "positions; row 0 has " + p + ", row " + b + " has " + positions[b].length);
            copy[b] = positions[b].clone();
        }
        return new Positions(copy, true);
    }

    public boolean isAll() { return rows == null; }

    /** Number of positions selected in each row (not defined for {@link #all()}). */
    public int count() {
        if (rows == null) throw new IllegalStateException("Positions.all() has no fixed count");
        return rows[0].length;
    }

    /** Resolved positions [batch][count] for a batch of {@code batch} rows of {@code tokens} tokens. */
    int[][] resolve(long batch, long tokens) {
        if (perRow && rows.length != batch)
            throw new IllegalArgumentException("Positions.perRow names " + rows.length + " rows but the batch has " + batch);
        int[][] out = new int[(int) batch][];
        for (int b = 0; b < batch; b++) {
            int[] src = rows[perRow ? b : 0];
            out[b] = new int[src.length];
            for (int i = 0; i < src.length; i++) {
                int p = src[i] < 0 ? (int) (tokens + src[i]) : src[i];
                if (p < 0 || p >= tokens)
                    throw new IllegalArgumentException("Tap position " + src[i] + " is outside a sequence of " + tokens + " tokens");
                out[b][i] = p;
            }
        }
        return out;
    }

    /** Position indices [batch, count] as int64, created in {@code m}. */
    NDArray indices(NDManager m, long batch, long tokens) {
        int[][] r = resolve(batch, tokens);
        long[] flat = new long[r.length * r[0].length];
        int k = 0;
        for (int[] row : r) for (int p : row) flat[k++] = p;
        // a copy PyTorch owns: an array made from Java data wraps a direct buffer that the garbage collector frees
        // once its Java object is unreachable, even while a view of it (expandDims, reshape) is still in use
        NDArray wrapped = m.create(flat, new Shape(batch, r[0].length));
        NDArray owned = wrapped.duplicate();
        wrapped.close();
        return owned;
    }

    @Override
    public String toString() {
        if (rows == null) return "all";
        return perRow ? "perRow" + Arrays.deepToString(rows) : Arrays.toString(rows[0]);
    }
}
