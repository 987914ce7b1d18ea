package org.layerwise.engine.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointTest {

    @TempDir
    Path dir;

    private NDManager manager;

    @BeforeEach
    void createManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private Map<String, NDArray> gpt2Like() {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("transformer.wte.weight", manager.arange(12f).reshape(4, 3));
        tensors.put("transformer.h.0.ln_1.weight", manager.ones(new ai.djl.ndarray.types.Shape(3)));
        tensors.put("transformer.h.0.ln_1.bias", manager.zeros(new ai.djl.ndarray.types.Shape(3), DataType.FLOAT16));
        return tensors;
    }

    private void writeConfig() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"gpt2\", \"n_embd\": 3, \"n_layer\": 1}");
    }

    @Test
    void singleFileFolder() throws Exception {
        writeConfig();
        SafetensorsWriter.write(dir.resolve("model.safetensors"), gpt2Like(), Map.of());
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            assertThat(checkpoint.directory()).isEqualTo(dir);
            assertThat(checkpoint.config().get("n_embd").asInt()).isEqualTo(3);
            assertThat(checkpoint.tensors()).hasSize(3);
            assertThat(checkpoint.tensors().get("transformer.wte.weight").shape()).containsExactly(4, 3);
            assertThat(checkpoint.totalBytes()).isEqualTo(12 * 4 + 3 * 4 + 3 * 2);
            assertThat(checkpoint.load("transformer.wte.weight", manager).toFloatArray())
                    .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
            NDArray bias = checkpoint.load("transformer.h.0.ln_1.bias", manager, DataType.FLOAT32);
            assertThat(bias.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(checkpoint.hasTokenizer()).isFalse();
            Files.writeString(dir.resolve("tokenizer.json"), "{}");
            assertThat(checkpoint.hasTokenizer()).isTrue();
        }
    }

    @Test
    void missingTensorNamesTheCheckpointAndSuggests() throws Exception {
        writeConfig();
        SafetensorsWriter.write(dir.resolve("model.safetensors"), gpt2Like(), Map.of());
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            assertThatThrownBy(() -> checkpoint.load("wte.weight", manager))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageStartingWith("no tensor 'wte.weight' in checkpoint " + dir)
                    .hasMessageContaining("similar names: transformer.wte.weight");
        }
    }

    @Test
    void missingConfig() throws Exception {
        SafetensorsWriter.write(dir.resolve("model.safetensors"), gpt2Like(), Map.of());
        assertThatThrownBy(() -> Checkpoint.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("no config.json in " + dir);
    }

    @Test
    void brokenConfig() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": ");
        assertThatThrownBy(() -> Checkpoint.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(dir.resolve("config.json") + " is not valid JSON");
        Files.writeString(dir.resolve("config.json"), "[1]");
        assertThatThrownBy(() -> Checkpoint.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("is not a JSON object");
    }

    @Test
    void noSafetensorsWeights() throws Exception {
        writeConfig();
        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> Checkpoint.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("no model.safetensors or model.safetensors.index.json in " + dir
                        + "; Layerwise reads Hugging Face safetensors checkpoints")
                .hasMessageContaining("found pytorch_model.bin")
                .hasMessageContaining("save_pretrained('" + dir + "', safe_serialization=True)");
    }

    @Test
    void notAFolder() throws Exception {
        assertThatThrownBy(() -> Checkpoint.open(dir.resolve("nowhere")))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("does not exist");
        Path file = Files.writeString(dir.resolve("config.json"), "{}");
        assertThatThrownBy(() -> Checkpoint.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("is not a folder");
    }

    @Test
    void shardMissing() throws Exception {
        writeConfig();
        SafetensorsWriter.writeSharded(dir, gpt2Like(), 20);
        Path last = dir.resolve("model-00002-of-00002.safetensors");
        Files.delete(last);
        assertThatThrownBy(() -> Checkpoint.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("shard model-00002-of-00002.safetensors listed in "
                        + dir.resolve("model.safetensors.index.json") + " is missing from " + dir);
    }

    @Test
    void indexNamesATensorItsShardLacks() throws Exception {
        writeConfig();
        SafetensorsWriter.write(dir.resolve("model-00001-of-00001.safetensors"), gpt2Like(), Map.of());
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"metadata\": {}, \"weight_map\": {"
                + "\"transformer.wte.weight\": \"model-00001-of-00001.safetensors\","
                + "\"lm_head.weight\": \"model-00001-of-00001.safetensors\"}}");
        assertThatThrownBy(() -> Checkpoint.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("tensor lm_head.weight is mapped to shard model-00001-of-00001.safetensors");
    }

    @Test
    void indexCannotPointOutsideTheFolder() throws Exception {
        writeConfig();
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"weight_map\": {\"w\": \"../elsewhere.safetensors\"}}");
        assertThatThrownBy(() -> Checkpoint.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("maps tensor w to '../elsewhere.safetensors', which is not a file in " + dir);
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"metadata\": {}}");
        assertThatThrownBy(() -> Checkpoint.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("has no weight_map");
    }

    @Test
    void corruptShardIsNamed() throws Exception {
        writeConfig();
        SafetensorsWriter.writeSharded(dir, gpt2Like(), 20);
        Path first = dir.resolve("model-00001-of-00002.safetensors");
        byte[] bytes = Files.readAllBytes(first);
        Files.write(first, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        assertThatThrownBy(() -> Checkpoint.open(dir))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(first.toString())
                .hasMessageContaining("lies past the end of the file");
    }

    @Test
    void shardsAreNotWrittenWhereASingleFileWouldShadowThem() throws Exception {
        SafetensorsWriter.write(dir.resolve("model.safetensors"), gpt2Like(), Map.of());
        assertThatThrownBy(() -> SafetensorsWriter.writeSharded(dir, gpt2Like(), 20))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(dir + " already holds model.safetensors");
        assertThat(dir.resolve("model.safetensors.index.json")).doesNotExist();
    }
}
