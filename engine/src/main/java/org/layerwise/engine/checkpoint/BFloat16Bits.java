package org.layerwise.engine.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;

/**
 * bfloat16 ⇄ float32 on raw bits, with NDArray operations only. DJL 0.36's PyTorch bridge
 * aborts the whole JVM on any bfloat16 tensor (its dtype table stops at complex64), so bfloat16
 * data never becomes a DJL tensor: it is read as bytes and widened to float32 (exactly), and written
 * by rounding float32 to nearest-even, as {@code torch.Tensor.to(torch.bfloat16)} does.
 *
 * <p>All intermediate arrays belong to the {@code scratch} manager the caller closes.
 */
final class BFloat16Bits {

    private static final int CANONICAL_NAN = 0x7FC0;

    private BFloat16Bits() {
    }

    /**
     * float32 values of {@code n} little-endian bfloat16 numbers in the direct buffer {@code bytes}:
     * a bfloat16 is the upper half of a float32, so each float32 is written as the bytes
     * [0, 0, low, high], a plain byte copy with no arithmetic.
     */
    static NDArray decode(ByteBuffer bytes, long n, NDManager scratch) {
        NDArray floats = scratch.zeros(new Shape(n), DataType.FLOAT32);
        NDArray floatBytes = scratch.create(floats.toByteBuffer(true), new Shape(n, 4), DataType.UINT8);
        floatBytes.set(new NDIndex(":, 2:"), scratch.create(bytes, new Shape(n, 2), DataType.UINT8));
        return floats;
    }

    /** Little-endian bfloat16 bytes, shape [n, 2] UINT8, of the contiguous CPU float32 array {@code values}. */
    static NDArray encode(NDArray values, NDManager scratch) {
        long n = values.size();
        NDArray floats = reinterpret(values, DataType.FLOAT32, scratch);
        // the float32 bit pattern as an unsigned integer, held exactly in float64
        NDArray bits = reinterpret(values, DataType.INT32, scratch).toType(DataType.INT64, false);
        bits.addi(bits.lt(0).toType(DataType.INT64, false).muli(1L << 32));
        NDArray word = bits.toType(DataType.FLOAT64, false);
        NDArray upper = word.div(65536).floor();
        NDArray lower = word.sub(upper.mul(65536));
        // round to nearest, ties to even; overflow carries into the exponent and gives ±inf, as it should
        NDArray roundUp = lower.gt(32768).logicalOr(lower.eq(32768).logicalAnd(upper.mod(2).eq(1)));
        upper.addi(roundUp.toType(DataType.FLOAT64, false));
        upper = NDArrays.where(floats.isNaN(), scratch.full(new Shape(n), CANONICAL_NAN, DataType.FLOAT64), upper);
        NDArray high = upper.div(256).floor();
        NDArray low = upper.sub(high.mul(256));
        return NDArrays.stack(new NDList(low.toType(DataType.UINT8, false), high.toType(DataType.UINT8, false)), 1);
    }

    /** The same memory seen as another dtype of the same width (a view: {@code array} must outlive it). */
    private static NDArray reinterpret(NDArray array, DataType as, NDManager scratch) {
        ByteBuffer memory = array.toByteBuffer(true);
        return scratch.create(memory, new Shape(array.size() * array.getDataType().getNumOfBytes() / as.getNumOfBytes()), as);
    }
}
