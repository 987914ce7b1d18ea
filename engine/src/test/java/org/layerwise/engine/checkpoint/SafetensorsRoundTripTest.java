package org.layerwise.engine.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    private NDManager manager;
    private final Random random = new Random(7);

    @BeforeEach
    void createManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /** A tensor whose bytes are random bit patterns (NaN payloads, -0, subnormals included). */
    private NDArray randomBits(DataType type, long... shape) {
        int n = (int) (new Shape(shape).size() * type.getNumOfBytes());
        if (n == 0) {
            return manager.zeros(new Shape(shape), type);
        }
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        ByteBuffer buffer = ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
        buffer.put(bytes).flip();
        return manager.create(buffer, new Shape(shape), type).duplicate();
    }

    private static byte[] bytesOf(NDArray array) {
        ByteBuffer b = array.toByteBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16"})
    void writeThenReadIsBitExact(DType dtype) throws Exception {
        DataType type = dtype.dataType();
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("h.0.attn.c_attn.weight", randomBits(type, 3, 5));
        tensors.put("h.0.ln_1.bias", randomBits(type, 7));
        tensors.put("scale", randomBits(type));
        tensors.put("empty", randomBits(type, 2, 0, 3));
        tensors.put("wte.weight", randomBits(type, 2, 3, 4));
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of());

        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.tensors().keySet()).containsExactlyInAnyOrderElementsOf(tensors.keySet());
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                TensorInfo info = st.tensors().get(e.getKey());
                assertThat(info.dtype()).isEqualTo(dtype);
                assertThat(info.shape()).containsExactly(e.getValue().getShape().getShape());
                try (NDManager scope = manager.newSubManager()) {
                    NDArray loaded = st.load(e.getKey(), scope);
                    assertThat(loaded.getDataType()).isEqualTo(type);
                    assertThat(loaded.getShape()).isEqualTo(e.getValue().getShape());
                    assertThat(bytesOf(loaded)).isEqualTo(bytesOf(e.getValue()));
                }
            }
        }
    }

    @Test
    void headerIsPaddedAndDataIsContiguousWidestDtypeFirst() throws Exception {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("b16", randomBits(DataType.FLOAT16, 3));
        tensors.put("f32", randomBits(DataType.FLOAT32, 2, 2));
        tensors.put("a16", randomBits(DataType.FLOAT16, 5));
        Path file = dir.resolve("x.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of("source", "unit test"));

        byte[] raw = Files.readAllBytes(file);
        long headerLength = RawSafetensors.headerLength(raw);
        assertThat(headerLength % 8).isZero();
        String header = new String(raw, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertThat(header.stripTrailing()).endsWith("}");
        JsonNode json = new JsonMapper().readTree(header);
        assertThat(json.get("__metadata__").get("format").asText()).isEqualTo("pt");
        assertThat(json.get("__metadata__").get("source").asText()).isEqualTo("unit test");

        List<String> order = new ArrayList<>();
        long expectedBegin = 0;
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.equals("__metadata__")) {
                continue;
            }
            order.add(name);
            JsonNode offsets = json.get(name).get("data_offsets");
            assertThat(offsets.get(0).asLong()).isEqualTo(expectedBegin);
            expectedBegin = offsets.get(1).asLong();
        }
        assertThat(order).containsExactly("f32", "a16", "b16");
        assertThat(8 + headerLength + expectedBegin).isEqualTo(raw.length);

        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.metadata()).containsEntry("source", "unit test").containsEntry("format", "pt");
        }
    }

    @Test
    void callerFormatIsKept() throws Exception {
        Path file = dir.resolve("m.safetensors");
        SafetensorsWriter.write(file, Map.of("w", randomBits(DataType.FLOAT32, 2)), Map.of("format", "mlx"));
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.metadata()).containsExactly(Map.entry("format", "mlx"));
        }
    }

    @Test
    void loadConvertsToTheAskedType() throws Exception {
        NDArray original = manager.randomNormal(new Shape(4, 6)).toType(DataType.FLOAT16, false);
        Path file = dir.resolve("m.safetensors");
        SafetensorsWriter.write(file, Map.of("w", original), Map.of());
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            NDArray asFloat = st.load("w", manager, DataType.FLOAT32);
            assertThat(asFloat.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(asFloat.toFloatArray()).containsExactly(original.toType(DataType.FLOAT32, false).toFloatArray());
        }
    }

    @Test
    void stridedTensorsAreWrittenInRowMajorOrder() throws Exception {
        NDArray base = manager.arange(12f).reshape(3, 4);
        NDArray transposed = base.transpose();
        Path file = dir.resolve("m.safetensors");
        SafetensorsWriter.write(file, Map.of("t", transposed), Map.of());
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            NDArray loaded = st.load("t", manager);
            assertThat(loaded.getShape()).isEqualTo(new Shape(4, 3));
            assertThat(loaded.toFloatArray()).containsExactly(0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        }
    }

    @Test
    void tensorsLargerThanOneMappingLoadAndWriteInPieces() throws Exception {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("big", randomBits(DataType.FLOAT32, 10, 10));
        tensors.put("odd", randomBits(DataType.FLOAT16, 3, 7));
        Path whole = dir.resolve("whole.safetensors");
        SafetensorsWriter.write(whole, tensors, Map.of());
        // 36-byte pieces: uneven, and not a multiple of the rows
        Path pieces = SafetensorsWriter.writeTemporary(dir.resolve("pieces.safetensors"), tensors, Map.of(), null, 36);
        assertThat(Files.readAllBytes(pieces)).isEqualTo(Files.readAllBytes(whole));

        try (SafetensorsFile st = SafetensorsFile.open(whole, 36)) {
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                NDArray loaded = st.load(e.getKey(), manager);
                assertThat(loaded.getShape()).isEqualTo(e.getValue().getShape());
                assertThat(bytesOf(loaded)).isEqualTo(bytesOf(e.getValue()));
            }
            NDArray converted = st.load("odd", manager, DataType.FLOAT32);
            assertThat(converted.toFloatArray())
                    .containsExactly(tensors.get("odd").toType(DataType.FLOAT32, false).toFloatArray());
        }
    }

    @Test
    void loadedTensorsOwnTheirMemory() throws Exception {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, Map.of("w", manager.arange(6f)), Map.of());
        NDArray loaded;
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            loaded = st.load("w", manager);
        }
        // the file is replaced and the loaded tensor written in place: neither affects the other
        SafetensorsWriter.write(file, Map.of("w", manager.zeros(new Shape(6))), Map.of());
        loaded.addi(1);
        assertThat(loaded.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            assertThat(st.load("w", manager).toFloatArray()).containsOnly(0f);
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, Map.of("w", manager.arange(4f)), Map.of());
        byte[] before = Files.readAllBytes(file);

        Map<String, NDArray> unsupported = Map.of("mask", manager.create(new boolean[] {true, false}));
        assertThatThrownBy(() -> SafetensorsWriter.write(file, unsupported, Map.of()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("tensor mask")
                .hasMessageContaining(file.toString())
                .hasMessageContaining("boolean");

        NDManager gone = manager.newSubManager();
        Map<String, NDArray> broken = new LinkedHashMap<>();
        broken.put("a", manager.arange(4f));
        broken.put("b", gone.arange(4f));
        gone.close();
        assertThatThrownBy(() -> SafetensorsWriter.write(file, broken, Map.of())).isInstanceOf(RuntimeException.class);

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> listing = Files.list(dir)) {
            assertThat(listing).containsExactly(file);
        }
    }

    @Test
    void shardedRoundTripThroughCheckpoint() throws Exception {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("model.embed_tokens.weight", randomBits(DataType.FLOAT16, 8, 4));   // 64 bytes
        tensors.put("model.layers.0.mlp.up_proj.weight", randomBits(DataType.FLOAT16, 4, 8));
        tensors.put("model.layers.0.input_layernorm.weight", randomBits(DataType.FLOAT32, 4));
        tensors.put("model.norm.weight", randomBits(DataType.FLOAT16, 4));
        tensors.put("lm_head.weight", randomBits(DataType.FLOAT16, 8, 4));
        SafetensorsWriter.writeSharded(dir, tensors, 100);
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\", \"hidden_size\": 4}");

        assertThat(dir.resolve("model-00001-of-00003.safetensors")).exists();
        assertThat(dir.resolve("model-00003-of-00003.safetensors")).exists();
        JsonNode index = new JsonMapper().readTree(dir.resolve("model.safetensors.index.json").toFile());
        long total = tensors.values().stream().mapToLong(SafetensorsWriter::byteLength).sum();
        assertThat(index.get("metadata").get("total_size").asLong()).isEqualTo(total);
        assertThat(index.get("weight_map").get("lm_head.weight").asText()).isEqualTo("model-00003-of-00003.safetensors");

        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            assertThat(checkpoint.config().get("model_type").asText()).isEqualTo("llama");
            assertThat(checkpoint.weightFiles()).hasSize(3);
            assertThat(checkpoint.tensors().keySet()).containsExactlyInAnyOrderElementsOf(tensors.keySet());
            assertThat(checkpoint.totalBytes()).isEqualTo(total);
            assertThat(checkpoint.metadata()).containsEntry("format", "pt");
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray loaded = checkpoint.load(e.getKey(), scope);
                    assertThat(loaded.getDataType()).isEqualTo(e.getValue().getDataType());
                    assertThat(bytesOf(loaded)).isEqualTo(bytesOf(e.getValue()));
                }
            }
        }
        try (Stream<Path> listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }
}
