package org.layerwise.engine.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** BF16 files, which DJL 0.36 can neither create nor hold as tensors: widened on load, rounded on write. */
class BFloat16Test {

    @TempDir
    Path dir;

    private NDManager manager;
    private final Random random = new Random(16);

    @BeforeEach
    void createManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** Reference rounding, written from the definition: round to nearest, ties to even; NaN → 0x7FC0. */
    static short referenceBf16(float value) {
        if (Float.isNaN(value)) {
            return 0x7FC0;
        }
        int bits = Float.floatToRawIntBits(value);
        int lower = bits & 0xFFFF;
        int upper = bits >>> 16;
        if (lower > 0x8000 || (lower == 0x8000 && (upper & 1) == 1)) {
            upper++;
        }
        return (short) upper;
    }

    static float widen(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xFFFF) << 16);
    }

    /** Random bf16 bit patterns (no NaN payloads) and the special values, little-endian. */
    private short[] randomBf16(int n) {
        short[] values = new short[n];
        short[] specials = {0x0000, (short) 0x8000, 0x7F80, (short) 0xFF80, 0x0001, (short) 0x8001, 0x7F7F, 0x7FC0, 0x3F80};
        for (int i = 0; i < n; i++) {
            short v;
            do {
                v = (short) random.nextInt(1 << 16);
            } while (Float.isNaN(widen(v)));
            values[i] = i < specials.length ? specials[i] : v;
        }
        return values;
    }

    private static byte[] littleEndian(short[] values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : values) {
            b.putShort(v);
        }
        return b.array();
    }

    private Path bf16File(String name, short[] values, long... shape) throws Exception {
        String header = "{\"" + name + "\":{\"dtype\":\"BF16\",\"shape\":" + Arrays.toString(shape)
                + ",\"data_offsets\":[0," + 2 * values.length + "]}}";
        Path file = dir.resolve("bf16.safetensors");
        Files.write(file, RawSafetensors.bytes(header, littleEndian(values)));
        return file;
    }

    private static void assertSameFloats(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            if (Float.isNaN(expected[i])) {
                assertThat(actual[i]).as("element %d", i).isNaN();
            } else {
                assertThat(Float.floatToRawIntBits(actual[i])).as("element %d", i)
                        .isEqualTo(Float.floatToRawIntBits(expected[i]));
            }
        }
    }

    @Test
    void bf16LoadsAsExactFloat32() throws Exception {
        short[] values = randomBf16(37 * 3);
        float[] expected = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            expected[i] = widen(values[i]);
        }
        Path file = bf16File("w", values, 37, 3);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.tensors().get("w").dtype()).isEqualTo(DType.BF16);
            NDArray loaded = st.load("w", manager);
            assertThat(loaded.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(loaded.getShape()).isEqualTo(new Shape(37, 3));
            assertSameFloats(loaded.toFloatArray(), expected);
        }
        // in uneven 10-byte pieces (5 values), through the piecewise path
        try (SafetensorsFile st = SafetensorsFile.open(file, 10)) {
            assertSameFloats(st.load("w", manager).toFloatArray(), expected);
            NDArray half = st.load("w", manager, DataType.FLOAT16);
            assertThat(half.getDataType()).isEqualTo(DataType.FLOAT16);
            float[] viaFloat = manager.create(expected).toType(DataType.FLOAT16, false)
                    .toType(DataType.FLOAT32, false).toFloatArray();
            assertSameFloats(half.toType(DataType.FLOAT32, false).toFloatArray(), viaFloat);
        }
    }

    @Test
    void askingForBfloat16IsRefusedInsteadOfAbortingTheJvm() throws Exception {
        Path file = bf16File("w", randomBf16(4), 4);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThatThrownBy(() -> st.load("w", manager, DataType.BFLOAT16))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("tensor w")
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("bfloat16");
        }
    }

    @Test
    void float32IsWrittenAsBf16RoundingToNearestEven() throws Exception {
        int n = 4000;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            int bits = random.nextInt();
            if (i % 4 == 0) {
                bits = (bits & 0xFFFF0000) | 0x8000;   // exactly halfway: ties go to the even neighbour
            }
            values[i] = Float.intBitsToFloat(bits);
        }
        float[] specials = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN, -0f,
                Float.MIN_VALUE, 1.00390625f, 1.01171875f, 65504f, 3.4e38f};
        System.arraycopy(specials, 0, values, 0, specials.length);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("w", manager.create(values, new Shape(40, 100)));
        tensors.put("h", manager.create(Arrays.copyOf(values, 64)).toType(DataType.FLOAT16, false));
        Path file = dir.resolve("out.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of(), DType.BF16);

        byte[] raw = Files.readAllBytes(file);
        // in pieces of 62 values the bytes are the same
        Path pieces = SafetensorsWriter.writeTemporary(dir.resolve("pieces.safetensors"), tensors, Map.of(), DType.BF16, 1000);
        assertThat(Files.readAllBytes(pieces)).isEqualTo(raw);
        long dataStart = 8 + RawSafetensors.headerLength(raw);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.tensors().get("w").dtype()).isEqualTo(DType.BF16);
            assertThat(st.tensors().get("w").shape()).containsExactly(40, 100);
            short[] expected = new short[n];
            for (int i = 0; i < n; i++) {
                expected[i] = referenceBf16(values[i]);
            }
            TensorInfo w = st.tensors().get("w");
            byte[] written = Arrays.copyOfRange(raw, (int) (dataStart + w.begin()), (int) (dataStart + w.end()));
            assertThat(written).isEqualTo(littleEndian(expected));

            // float16 sources are widened to float32 first, then rounded the same way
            float[] halfValues = tensors.get("h").toType(DataType.FLOAT32, false).toFloatArray();
            short[] expectedHalf = new short[halfValues.length];
            for (int i = 0; i < halfValues.length; i++) {
                expectedHalf[i] = referenceBf16(halfValues[i]);
            }
            TensorInfo h = st.tensors().get("h");
            assertThat(Arrays.copyOfRange(raw, (int) (dataStart + h.begin()), (int) (dataStart + h.end())))
                    .isEqualTo(littleEndian(expectedHalf));
        }
    }

    @Test
    void bf16CheckpointSurvivesLoadAndSaveBitForBit() throws Exception {
        short[] values = randomBf16(3 * 50);
        Path file = bf16File("model.layers.0.self_attn.q_proj.weight", values, 3, 50);
        Map<String, NDArray> loaded = new LinkedHashMap<>();
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (String name : st.tensors().keySet()) {
                loaded.put(name, st.load(name, manager));
            }
        }
        Path shards = dir.resolve("resaved");
        SafetensorsWriter.writeSharded(shards, loaded, 1 << 20, Map.of(), DType.BF16);
        Files.writeString(shards.resolve("config.json"), "{}");
        try (Checkpoint checkpoint = Checkpoint.open(shards)) {
            TensorInfo info = checkpoint.tensors().get("model.layers.0.self_attn.q_proj.weight");
            assertThat(info.dtype()).isEqualTo(DType.BF16);
            assertThat(checkpoint.totalBytes()).isEqualTo(2L * values.length);
            byte[] raw = Files.readAllBytes(checkpoint.weightFiles().get(0));
            long dataStart = 8 + RawSafetensors.headerLength(raw);
            assertThat(Arrays.copyOfRange(raw, (int) dataStart, (int) (dataStart + info.byteLength())))
                    .isEqualTo(littleEndian(values));
        }
    }
}
