package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

/**
 * T5's relative position bias: each (query, key) offset falls into one of {@code buckets} buckets, exact for small
 * offsets and logarithmically wider up to {@code maxDistance} (beyond it, the last bucket); a learned table
 * [buckets, heads] gives each head's score bias per bucket. Bidirectional (encoder) buckets tell the direction apart
 * with half of the buckets each; unidirectional (decoder) buckets only count keys before the query. Computed as
 * Hugging Face's {@code _relative_position_bucket} computes it, in float32, so the buckets agree at the log edges.
 */
final class RelativePositionBias {
    private RelativePositionBias() {}

    /** Bucket ids [queries, keys] (int64) of offset key − query. */
    static NDArray buckets(NDManager m, long queries, long keys, boolean bidirectional, int buckets, int maxDistance) {
        NDArray context = m.arange(0, (int) queries, 1, DataType.INT64).reshape(queries, 1);
        NDArray memory = m.arange(0, (int) keys, 1, DataType.INT64).reshape(1, keys);
        NDArray relative = memory.sub(context);
        int n = buckets;
        NDArray result;
        if (bidirectional) {
            n /= 2;
            result = relative.gt(0).toType(DataType.INT64, false).mul(n);
            relative = relative.abs();
        } else {
            result = m.zeros(relative.getShape(), DataType.INT64);
            relative = relative.minimum(0).neg();
        }
        int maxExact = n / 2;
        NDArray small = relative.lt(maxExact);
        NDArray large = relative.toType(DataType.FLOAT32, false).div((float) maxExact).log()
                .div((float) Math.log((double) maxDistance / maxExact)).mul((float) (n - maxExact))
                .toType(DataType.INT64, false).add(maxExact).minimum(n - 1);
        return result.add(NDArrays.where(small, relative, large));
    }

    /** The float32 score bias [1, heads, queries, keys] from the table [buckets, heads]. */
    static NDArray bias(NDManager m, NDArray table, long queries, long keys, boolean bidirectional, int maxDistance) {
        int buckets = (int) table.getShape().get(0);
        NDArray ids = buckets(m, queries, keys, bidirectional, buckets, maxDistance);
        NDArray values = Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();     // [Tq, Tk, H]
        return values.toType(DataType.FLOAT32, false).transpose(2, 0, 1).expandDims(0);
    }
}
