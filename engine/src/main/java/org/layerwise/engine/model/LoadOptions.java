package org.layerwise.engine.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;

import java.util.Locale;

/**
 * Where and in which dtype to put a model's weights.
 *
 * <p>bfloat16: DJL 0.36's PyTorch JNI maps only float32/float64/float16/uint8/int8/int32/int64/bool
 * (its {@code GetScalarTypeFromDType} aborts the whole JVM for BFLOAT16), so the engine never creates a
 * bfloat16 array. A bfloat16 checkpoint is kept as float16 (same size; exact for weights within float16's
 * range, which covers trained transformer weights) unless float32 is asked for.
 */
public record LoadOptions(DeviceChoice device, DtypeChoice dtype) {
    public enum DeviceChoice { AUTO, CPU, GPU }

    public enum DtypeChoice { KEEP, FLOAT32, FLOAT16, BFLOAT16 }

    public LoadOptions {
        if (device == null) device = DeviceChoice.AUTO;
        if (dtype == null) dtype = DtypeChoice.KEEP;
    }

    /** GPU when DJL sees one, weights in their stored dtype. */
    public static LoadOptions defaults() { return new LoadOptions(DeviceChoice.AUTO, DtypeChoice.KEEP); }

    /** From CLI words: device cpu|gpu|auto, dtype keep|float32|float16|bfloat16 (null means the default). */
    public static LoadOptions of(String device, String dtype) {
        return new LoadOptions(parse(DeviceChoice.class, device, "--device", "cpu, gpu, auto"),
                parse(DtypeChoice.class, dtype, "--dtype", "keep, float32, float16, bfloat16"));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String word, String option, String allowed) {
        if (word == null || word.isBlank()) return null;
        try {
            return Enum.valueOf(type, word.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " '" + word + "' is not one of " + allowed, e);
        }
    }

    /** The device to load onto. */
    public Device resolveDevice() {
        int gpus = Engine.getInstance().getGpuCount();
        switch (device) {
            case CPU: return Device.cpu();
            case GPU:
                if (gpus == 0) throw new IllegalStateException("--device gpu: DJL's PyTorch engine sees no GPU. The bundled "
                        + "natives are the CPU build; select the CUDA build as the README describes, or use --device cpu");
                return Device.gpu();
            default: return gpus > 0 ? Device.gpu() : Device.cpu();
        }
    }

    /** The dtype for weights stored as {@code stored}. */
    public DataType resolveType(DataType stored) {
        switch (dtype) {
            case FLOAT32: return DataType.FLOAT32;
            case FLOAT16: return DataType.FLOAT16;
            case BFLOAT16: throw new IllegalArgumentException(BF16_UNSUPPORTED);
            default:
                if (stored == DataType.FLOAT32 || stored == DataType.FLOAT16) return stored;
                if (stored == DataType.BFLOAT16) return DataType.FLOAT16;
                if (stored == DataType.FLOAT64) return DataType.FLOAT32;
                throw new IllegalArgumentException("Weights stored as " + stored + " are not floating point; use --dtype float32");
        }
    }

    static final String BF16_UNSUPPORTED = "--dtype bfloat16 is not available: DJL's PyTorch engine cannot hold bfloat16 "
            + "arrays (its JNI aborts the JVM on them). Use float16 (same memory) or float32; bfloat16 checkpoints load as float16 by default";

    /** "float32", "float16" or "bfloat16". */
    public static String dtypeName(DataType type) {
        switch (type) {
            case FLOAT32: return "float32";
            case FLOAT16: return "float16";
            case BFLOAT16: return "bfloat16";
            default: return type.name().toLowerCase(Locale.ROOT);
        }
    }
}
