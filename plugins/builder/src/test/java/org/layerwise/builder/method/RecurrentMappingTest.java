package org.layerwise.builder.method;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RecurrentModel;
import org.layerwise.engine.model.RecurrentSpec;
import org.layerwise.engine.model.TrainableModel;
import org.layerwise.engine.tokenizer.HfTokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** lstm and gru configs become the engine's recurrent model, counted as the builder counts them. */
class RecurrentMappingTest {
    private static final List<String> SMALL = List.of("hidden_size=24", "layers_num=2", "max_seq_length=16", "vocab_size=40");

    @Test
    void builderCountsEqualTheModelsParameters(@TempDir Path dir) throws Exception {
        Files.copy(EngineMappingTest.TOKENIZER.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        List<ModelConfig> configs = List.of(
                ModelConfig.defaults().withOverrides(SMALL).with("encoder", "lstm"),
                ModelConfig.defaults().withOverrides(SMALL).withOverrides(List.of("encoder=gru", "embedding=word", "tie_weights=false")),
                ModelConfig.defaults().withOverrides(SMALL).withOverrides(List.of("encoder=lstm", "remove_embedding_layernorm=false",
                        "lm_head_bias=true", "tie_weights=false", "layers_num=3")));
        for (ModelConfig c : configs) {
            assertThat(c.problems()).isEmpty();
            assertThat(EngineMapping.trainingProblems(c)).as(c.text("encoder")).isEmpty();
            try (NDManager m = NDManager.newBaseManager(); HfTokenizer tok = HfTokenizer.load(dir);
                 TrainableModel model = Pretraining.newModel(c, 40, tok, dir, m, LoadOptions.DeviceChoice.CPU)) {
                assertThat(model).isInstanceOf(RecurrentModel.class);
                assertThat(model.parameterCount()).as("engine count vs builder count for " + c.text("encoder"))
                        .isEqualTo(ParameterCounts.of(c, 40).total());
                RecurrentSpec spec = ((RecurrentModel) model).spec();
                assertThat(spec.layers()).isEqualTo(c.integer("layers_num"));
                assertThat(spec.embeddingNorm()).isEqualTo(!c.flag("remove_embedding_layernorm"));
                model.save(dir.resolve("saved"));
                try (TrainableModel again = Pretraining.loadModel(dir.resolve("saved"), LoadOptions.DeviceChoice.CPU)) {
                    assertThat(again).isInstanceOf(RecurrentModel.class);
                    assertThat(((RecurrentModel) again).spec()).isEqualTo(spec);
                }
            }
        }
        // torch.nn.LSTM(256, 256, 2) has 2 · (4·256·(256 + 256) + 8·256) = 1,052,672 parameters
        assertThat(ParameterCounts.of(ModelConfig.defaults().withOverrides(List.of("encoder=lstm", "layers_num=2")), 100).of("encoder"))
                .isEqualTo(1_052_672L);
    }

    @Test
    void whatARecurrentModelCannotTrainIsSaid() {
        ModelConfig mlm = ModelConfig.defaults().withOverrides(List.of("encoder=lstm", "target=mlm", "mask=fully_visible"));
        assertThat(mlm.problems()).isEmpty();
        assertThat(EngineMapping.trainingProblems(mlm)).anyMatch(s -> s.contains("target mlm with the lstm encoder")
                && s.contains("reads left to right only"));
        ModelConfig seg = ModelConfig.defaults().withOverrides(List.of("encoder=gru", "embedding=word,pos,seg"));
        assertThat(EngineMapping.trainingProblems(seg)).containsExactly("the 'seg' embedding with a gru encoder (a recurrent model takes word and pos)");
        assertThatThrownBy(() -> RecurrentMapping.toSpec(seg, 10)).isInstanceOf(NotTrainableException.class)
                .hasMessageContaining("'seg' embedding");
        // a recurrent encoder is still no transformer
        assertThatThrownBy(() -> EngineMapping.toSpec(ModelConfig.defaults().with("encoder", "lstm"), 10))
                .isInstanceOf(NotTrainableException.class).hasMessageContaining("recurrent encoder (lstm)");
    }
}
