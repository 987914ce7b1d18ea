package org.layerwise.builder.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.model.TransformerSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Composed decoder-only models become engine models, save as HF folders and reopen with identical logits. */
class EngineMappingTest {
    static final Path TOKENIZER = Path.of("src/test/resources/tokenizer");
    private static final List<String> SMALL = List.of("hidden_size=32", "layers_num=2", "heads_num=4", "feedforward_size=48",
            "max_seq_length=32", "vocab_size=40");

    @Test
    void familiesArePickedFromTheChoices() {
        assertThat(EngineMapping.toSpec(ModelConfig.preset("gpt2").withOverrides(SMALL).with("model_type", "auto"), 0).modelType()).isEqualTo("gpt2");
        assertThat(EngineMapping.toSpec(ModelConfig.preset("gptj").withOverrides(SMALL).withOverrides(List.of("rotary_dim=4", "model_type=auto")), 0).modelType()).isEqualTo("gptj");
        assertThat(EngineMapping.toSpec(ModelConfig.preset("llama").withOverrides(SMALL).with("model_type", "auto"), 0).modelType()).isEqualTo("llama");
        TransformerSpec custom = EngineMapping.toSpec(ModelConfig.preset("llama").withOverrides(SMALL)
                .withOverrides(List.of("model_type=auto", "feed_forward=dense", "parallel_residual=true")), 0);
        assertThat(custom.modelType()).isEqualTo("layerwise");
        assertThat(custom.residual()).isEqualTo(TransformerSpec.Residual.PARALLEL);
        TransformerSpec encoder = EngineMapping.toSpec(ModelConfig.defaults().withOverrides(SMALL)
                .withOverrides(List.of("mask=fully_visible", "target=mlm")), 0);
        assertThat(encoder.mask()).isEqualTo(TransformerSpec.MaskKind.BIDIRECTIONAL);
        assertThat(encoder.modelType()).isEqualTo("layerwise");
    }

    @Test
    void savedModelsReopenWithIdenticalLogits(@TempDir Path dir) throws Exception {
        List<ModelConfig> configs = List.of(
                ModelConfig.preset("gpt2").withOverrides(SMALL),
                ModelConfig.preset("gptj").withOverrides(SMALL).with("rotary_dim", "4"),
                ModelConfig.preset("llama").withOverrides(SMALL).with("kv_heads_num", "2"),
                ModelConfig.preset("llama").withOverrides(SMALL).withOverrides(List.of("model_type=auto", "parallel_residual=true",
                        "layernorm=normal", "hidden_act=gelu")));
        Files.copy(TOKENIZER.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        int i = 0;
        for (ModelConfig c : configs) {
            Path out = dir.resolve("m" + i++);
            try (NDManager m = NDManager.newBaseManager();
                 TransformerModel built = Pretraining.newTransformer(c, 40, dir, m, LoadOptions.DeviceChoice.CPU)) {
                assertThat(built.parameterCount()).as("engine count vs builder count").isEqualTo(ParameterCounts.of(c, 40).total());
                built.save(out);
                assertThat(Files.readString(out.resolve("config.json"))).contains("\"model_type\" : \"" + built.spec().modelType() + "\"");
                NDArray ids = m.create(new long[] {1, 5, 7, 2, 39, 0, 3}).reshape(1, 7);
                float[] before = built.forward(m, ids, null, org.layerwise.engine.model.Taps.none()).toFloatArray();
                try (TransformerModel reopened = TransformerModel.load(out, new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.KEEP))) {
                    assertThat(reopened.spec()).isEqualTo(built.spec());
                    float[] after = reopened.forward(m, ids, null, org.layerwise.engine.model.Taps.none()).toFloatArray();
                    assertThat(after).as(built.spec().modelType()).containsExactly(before);
                }
            }
        }
    }

    @Test
    void whatTheEngineCannotRunIsSaidPlainly() {
        for (ModelConfig c : List.of(ModelConfig.preset("t5-small"),
                ModelConfig.defaults().withOverrides(List.of("encoder=gru")))) {
            assertThat(c.problems()).isEmpty();
            assertThat(ParameterCounts.of(c, 100).total()).isPositive();
            assertThatThrownBy(() -> EngineMapping.toSpec(c, 100)).isInstanceOf(NotTrainableException.class)
                    .hasMessageStartingWith("not trainable as configured: ");
        }
        assertThat(EngineMapping.trainingProblems(ModelConfig.preset("t5-small"))).isEmpty();     // an EncoderDecoderModel
        assertThat(EngineMapping.trainingProblems(ModelConfig.preset("t5-small").with("rotary", "half")))
                .anyMatch(s -> s.contains("rotary positions in an encoder-decoder"));
        // the bert preset maps (post-LN, seg, embedding LayerNorm) and its targets [mlm, sp] train
        assertThat(EngineMapping.mappingProblems(ModelConfig.preset("bert"))).isEmpty();
        assertThat(EngineMapping.trainingProblems(ModelConfig.preset("bert"))).isEmpty();
        assertThat(EngineMapping.trainingProblems(ModelConfig.defaults())).isEmpty();
    }
}
