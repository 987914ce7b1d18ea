package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant that is safe under autograd. Use these, never {@code x.mul(2f)} and friends,
 * on any path a gradient flows back through.
 *
 * <p>Why: DJL's {@code NDArray.mul(Number)} (and add, sub, div, pow, …) wraps the number in a 0-d tensor
 * over a Java direct {@code ByteBuffer} ({@code torch::from_blob}, no copy on the CPU) and closes it as
 * soon as the op returns. PyTorch's backward node keeps that tensor (MulBackward and DivBackward save the
 * other operand), but nothing keeps the Java buffer: once the garbage collector frees it, backward reads
 * whatever the allocator put there since — an infinite or NaN gradient, now and then, depending on GC
 * timing. That was the Trainer's intermittent NaN. Here the constant is made by PyTorch ({@code full}),
 * so its memory belongs to the tensor and lives as long as the graph needs it.
 *
 * <p>The constant is a float32 0-d tensor: by PyTorch's promotion rules a 0-d operand does not widen a
 * float16 tensor, so the result keeps {@code x}'s dtype.
 */
public final class Scalars {
    private Scalars() {}

    /** x · v */
    public static NDArray times(NDArray x, double v) {
        try (NDArray c = constant(x, v)) {
            return x.mul(c);
        }
    }

    /** x / v */
    public static NDArray over(NDArray x, double v) {
        try (NDArray c = constant(x, v)) {
            return x.div(c);
        }
    }

    /** x + v */
    public static NDArray plus(NDArray x, double v) {
        try (NDArray c = constant(x, v)) {
            return x.add(c);
        }
    }

    /** A 0-d float32 tensor holding {@code v}, allocated by PyTorch on {@code like}'s device. */
    public static NDArray constant(NDArray like, double v) {
        NDArray c = like.getManager().full(new Shape(), (float) v, DataType.FLOAT32);
        if (c.getDevice().equals(like.getDevice())) return c;
        try (c) {
            return c.toDevice(like.getDevice(), false);
        }
    }
}
