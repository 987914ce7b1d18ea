package org.layerwise.engine.checkpoint;

import ai.djl.ndarray.types.DataType;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Element types named in a safetensors header. Layerwise loads F32, F16, BF16 (weights) and F64, I64, I32,
 * I8, U8 (ids, masks, statistics);
 * the others are recognised so that a file holding them still validates (their byte sizes are
 * known) and a load of one of their tensors fails with "unsupported dtype" rather than "unknown".
 */
public enum DType {
    F32(4, DataType.FLOAT32, true),
    F16(2, DataType.FLOAT16, true),
    BF16(2, DataType.BFLOAT16, true),
    F64(8, DataType.FLOAT64, true),
    I64(8, DataType.INT64, true),
    I32(4, DataType.INT32, true),
    I16(2, DataType.INT16, false),
    I8(1, DataType.INT8, true),
    U64(8, DataType.UINT64, false),
    U32(4, DataType.UINT32, false),
    U16(2, DataType.UINT16, false),
    U8(1, DataType.UINT8, true),
    BOOL(1, DataType.BOOLEAN, false),
    F8_E4M3(1, DataType.UNKNOWN, false),
    F8_E5M2(1, DataType.UNKNOWN, false);

    private final int bytesPerElement;
    private final DataType dataType;
    private final boolean loadable;

    DType(int bytesPerElement, DataType dataType, boolean loadable) {
        this.bytesPerElement = bytesPerElement;
        this.dataType = dataType;
        this.loadable = loadable;
    }

    public int bytesPerElement() {
        return bytesPerElement;
    }

    /** The DJL type of this dtype; {@link DataType#UNKNOWN} for the 8-bit float formats DJL lacks. */
    public DataType dataType() {
        return dataType;
    }

    /**
     * The DJL type a tensor of this dtype has after {@code load(name, manager)}: its own, except BF16,
     * which loads as FLOAT32 (exactly) because DJL 0.36's PyTorch engine aborts on bfloat16 tensors.
     * Ask for FLOAT16 explicitly to hold a bfloat16 checkpoint in the same memory as on disk.
     */
    public DataType loadedType() {
        return this == BF16 ? DataType.FLOAT32 : dataType;
    }

    /** Whether Layerwise loads tensors of this dtype (F32, F16, BF16). */
    public boolean loadable() {
        return loadable;
    }

    /** The dtype spelled as in a safetensors header ("F32", "BF16", ...), or empty if unknown. */
    public static Optional<DType> bySafetensorsName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The loadable dtype for a DJL type, or empty when Layerwise does not read or write it. */
    public static Optional<DType> of(DataType dataType) {
        for (DType t : values()) {
            if (t.loadable && t.dataType == dataType) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** "F32, F16, BF16": for error messages. */
    static String loadableNames() {
        return Arrays.stream(values()).filter(DType::loadable).map(Enum::name).collect(Collectors.joining(", "));
    }
}
