package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.checkpoint.Checkpoint;
import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.checkpoint.DType;
import org.layerwise.engine.checkpoint.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.layerwise.engine.model.GoldenLogitsTest.maxAbsDiff;

/** Loading Hugging Face folders (dtypes, errors, nothing left behind) and saving models that reopen. */
class CheckpointLoadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] IDS = {5, 17, 3, 88, 41, 9};

    @Test
    void storedDtypesAreKeptAndBfloat16IsHeldAsFloat16() throws Exception {
        try (NDManager m = NDManager.newBaseManager();
             TransformerModel f16 = TransformerModel.load(GoldenFolder.root().resolve("gpt2-f16"), LoadOptions.of("cpu", null));
             TransformerModel bf16 = TransformerModel.load(GoldenFolder.root().resolve("llama-bf16-sharded"), LoadOptions.defaults());
             TransformerModel bf16as32 = TransformerModel.load(GoldenFolder.root().resolve("llama-bf16-sharded"), LoadOptions.of("cpu", "float32"))) {
            assertThat(f16.dtype()).isEqualTo("float16");
            assertThat(bf16.dtype()).isEqualTo("float16");
            assertThat(bf16as32.dtype()).isEqualTo("float32");
            assertThat(bf16.weightBytes()).isLessThan(bf16as32.weightBytes() * 6 / 10);
            MemoryEstimate estimate = TransformerModel.estimate(GoldenFolder.root().resolve("llama-bf16-sharded"), LoadOptions.defaults());
            assertThat(estimate.neededBytes()).isEqualTo(bf16.weightBytes() + bf16.weightBytes() / 10 + MemoryEstimate.FIXED_MARGIN);
            assertThat(bf16.name()).isEqualTo("llama-bf16-sharded");
            assertThat(bf16.directory()).isEqualTo(GoldenFolder.root().resolve("llama-bf16-sharded"));
            // bfloat16 → float16 is exact for these weights: only the float16 arithmetic differs
            assertThat(maxAbsDiff(bf16.forward(m, IDS, Taps.none()), bf16as32.forward(m, IDS, Taps.none()))).isLessThan(0.05);
        }
    }

    @Test
    void savedModelsReopenWithTheSameLogitsAndFiles(@TempDir Path tmp) throws Exception {
        for (String name : new String[] {"gpt2-noprefix", "gptj", "llama-tied"}) {
            Path out = tmp.resolve(name);
            try (NDManager m = NDManager.newBaseManager();
                 TransformerModel model = TransformerModel.load(GoldenFolder.root().resolve(name), LoadOptions.of("cpu", null))) {
                NDArray before = model.forward(m, IDS, Taps.none());
                model.save(out);
                assertThat(out.resolve("tokenizer.json")).exists();
                assertThat(out.resolve("generation_config.json")).exists();
                JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
                assertThat(config.get("model_type").asText()).isEqualTo(model.spec().modelType());
                assertThat(config.get("eos_token_id")).isEqualTo(GoldenFolder.open(name).config.get("eos_token_id"));
                try (Checkpoint written = Checkpoint.open(out)) {
                    if (name.startsWith("gpt2")) assertThat(written.tensors()).containsKey("transformer.h.0.attn.c_attn.weight");
                    if (model.spec().tiedEmbeddings()) assertThat(written.tensors()).doesNotContainKey("lm_head.weight");
                    else assertThat(written.tensors()).containsKeys("lm_head.weight", "lm_head.bias");
                }
                try (TransformerModel reopened = TransformerModel.load(out, LoadOptions.of("cpu", null))) {
                    assertThat(reopened.spec()).isEqualTo(model.spec());
                    assertThat(maxAbsDiff(reopened.forward(m, IDS, Taps.none()), before)).as(name).isZero();
                }
            }
        }
    }

    @Test
    void editsSurviveSavingOverTheOriginalFolderAndBfloat16IsWrittenBack(@TempDir Path tmp) throws Exception {
        Path copy = tmp.resolve("model");
        Files.createDirectories(copy);
        try (var files = Files.list(GoldenFolder.root().resolve("llama-bf16-sharded"))) {
            for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, copy.resolve(f.getFileName()));
        }
        String down = WeightLayout.down(1) + ".weight";
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray edited;
            try (TransformerModel model = TransformerModel.load(copy, LoadOptions.defaults())) {
                edited = model.parameter(down).mul(2).toType(DataType.FLOAT32, false);
                edited.attach(m);   // made from a parameter, so born in the model's manager
                model.setParameter(down, edited);
                model.save(copy);
            }
            assertThat(copy.resolve(Checkpoint.INDEX_FILE)).doesNotExist();
            try (Checkpoint written = Checkpoint.open(copy)) {
                assertThat(written.tensors().get("model.layers.1.mlp.down_proj.weight").dtype()).isEqualTo(DType.BF16);
            }
            try (TransformerModel reopened = TransformerModel.load(copy, LoadOptions.of("cpu", "float32"))) {
                // doubling a bfloat16 value is exact, so the edit comes back bit for bit
                assertThat(maxAbsDiff(reopened.parameter(down), edited)).isZero();
            }
        }
    }

    @Test
    void customArchitecturesSaveAsLayerwiseAndReopen(@TempDir Path tmp) throws Exception {
        TransformerSpec spec = TinyModels.gpt2().toBuilder().modelType("layerwise").vocabSize(96)
                .norm(TransformerSpec.NormKind.RMS, 1e-6).mlp(TransformerSpec.MlpKind.GATED, TransformerSpec.Activation.GELU, 40, true).build();
        Path tokenizerDir = GoldenFolder.root().resolve("gpt2");
        try (NDManager m = NDManager.newBaseManager();
             TransformerModel model = TransformerModel.create(spec, RandomWeights.create(spec, m, 51, 0.3f),
                     org.layerwise.engine.tokenizer.HfTokenizer.load(tokenizerDir), LoadOptions.of("cpu", "float32"), null, tokenizerDir)) {
            model.save(tmp.resolve("custom"));
            try (TransformerModel reopened = TransformerModel.load(tmp.resolve("custom"), LoadOptions.defaults())) {
                assertThat(reopened.spec()).isEqualTo(spec);
                assertThat(maxAbsDiff(reopened.forward(m, IDS, Taps.none()), model.forward(m, IDS, Taps.none()))).isZero();
                assertThat(reopened.generate("w1 w2 w3", GenerationConfig.greedy(4), null).text())
                        .isEqualTo(model.generate("w1 w2 w3", GenerationConfig.greedy(4), null).text());
            }
        }
    }

    @Test
    void brokenFoldersNameTheFileAndTensorAndLeaveNothingLoaded(@TempDir Path tmp) throws Exception {
        int before = liveArrays();
        Path source = GoldenFolder.root().resolve("llama");

        Path missing = broken(tmp.resolve("missing"), source, w -> w.remove("model.layers.1.mlp.up_proj.weight"), c -> {});
        assertThatThrownBy(() -> TransformerModel.load(missing, LoadOptions.defaults()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(missing.resolve("model.safetensors").toString())
                .hasMessageContaining("model.layers.1.mlp.up_proj.weight").hasMessageContaining("(64, 32)");

        Path misshapen = broken(tmp.resolve("shape"), source, w -> {}, c -> c.put("intermediate_size", 80));
        assertThatThrownBy(() -> TransformerModel.load(misshapen, LoadOptions.defaults()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model.layers.0.mlp.gate_proj.weight").hasMessageContaining("(64, 32)").hasMessageContaining("(80, 32)");

        Path unknown = broken(tmp.resolve("unknown"), source, w -> {}, c -> c.put("model_type", "t5"));
        assertThatThrownBy(() -> TransformerModel.load(unknown, LoadOptions.defaults()))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("config.json").hasMessageContaining("'t5'");

        Path noTokenizer = broken(tmp.resolve("notok"), source, w -> {}, c -> {});
        Files.delete(noTokenizer.resolve("tokenizer.json"));
        assertThatThrownBy(() -> TransformerModel.load(noTokenizer, LoadOptions.defaults()))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("tokenizer.json");

        assertThat(liveArrays()).isEqualTo(before);
    }

    /** Arrays held by every manager of the engine (the system manager is every base manager's parent). */
    private static int liveArrays() {
        try (NDManager probe = NDManager.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }

    /** A copy of {@code source} with its weights and config changed. */
    private static Path broken(Path dir, Path source, Consumer<Map<String, NDArray>> weights, Consumer<ObjectNode> config) throws IOException {
        Files.createDirectories(dir);
        Files.copy(source.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        ObjectNode c = (ObjectNode) JSON.readTree(source.resolve("config.json").toFile());
        config.accept(c);
        JSON.writeValue(dir.resolve("config.json").toFile(), c);
        try (NDManager m = NDManager.newBaseManager(); Checkpoint ckpt = Checkpoint.open(source)) {
            Map<String, NDArray> w = new LinkedHashMap<>();
            for (String name : ckpt.tensors().keySet()) w.put(name, ckpt.load(name, m));
            weights.accept(w);
            SafetensorsWriter.write(dir.resolve("model.safetensors"), w, Map.of());
        } catch (CheckpointException e) {
            throw new IOException(e);
        }
        return dir;
    }

    @Test
    void bundledFactModelsOpenInFloat16AndKnowACapital() throws Exception {
        // full recall of the fact world is checked against each model's TRAINING.json in org.layerwise.engine.data.SampleModelsTest
        Path models = GoldenFolder.root().getParent().getParent().getParent().getParent().getParent().resolve("sample-data/models");
        for (String name : new String[] {"facts-llama", "facts-gptj", "facts-gpt2"}) {
            try (TransformerModel model = TransformerModel.load(models.resolve(name), LoadOptions.defaults())) {
                assertThat(model.dtype()).isEqualTo("float16");
                assertThat(model.generate("The capital of France is", GenerationConfig.greedy(3), null).text()).startsWith(" Paris");
            }
        }
    }
}
