package org.layerwise.builder.method;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Config priority, overrides and one clear message per mistake. */
class ModelConfigTest {

    @Test
    void fileOverridesDefaultsAndCommandLineOverridesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.json");
        Files.writeString(file, "{\"hidden_size\": 64, \"layers_num\": 3, \"embedding\": [\"word\"], \"rotary\": \"half\"}");
        ModelConfig c = ModelConfig.load(file, List.of("layers_num=5", "learning_rate=1e-3", "target=lm", "hidden_act=silu"));
        assertThat(c.integer("hidden_size")).isEqualTo(64);                 // file
        assertThat(c.integer("layers_num")).isEqualTo(5);                   // command line beats file
        assertThat(c.integer("heads_num")).isEqualTo(4);                    // default
        assertThat(c.number("learning_rate")).isEqualTo(1e-3);
        assertThat(c.list("target")).containsExactly("lm");
        assertThat(c.text("hidden_act")).isEqualTo("silu");
        assertThat(c.problems()).isEmpty();
        assertThat(ModelConfig.defaults().with("embedding", "word,pos,seg").list("embedding")).containsExactly("word", "pos", "seg");
    }

    @Test
    void everyPresetIsValid() {
        for (String p : ModelConfig.PRESETS) assertThat(ModelConfig.preset(p).problems()).as(p).isEmpty();
    }

    @Test
    void badConfigsGetOneClearMessageEach() {
        expect(ModelConfig.defaults().with("hiden_size", "64"), "Unknown setting 'hiden_size'; did you mean 'hidden_size'?");
        expect(ModelConfig.defaults().with("encoder", "mamba"), "Unknown encoder component 'mamba'");
        expect(ModelConfig.defaults().with("embedding", "word,alibi"), "Unknown embedding component 'alibi'");
        expect(ModelConfig.defaults().with("target", "lm,nsp"), "Unknown target component 'nsp'");
        expect(ModelConfig.defaults().with("mask", "diagonal"), "mask 'diagonal' is not a choice");
        expect(ModelConfig.defaults().withOverrides(List.of("target=mlm", "mask=causal")), "target mlm predicts masked tokens from both sides");
        expect(ModelConfig.defaults().with("mask", "fully_visible"), "target lm predicts the next token, so the encoder needs mask causal");
        expect(ModelConfig.defaults().withOverrides(List.of("parallel_residual=true", "layernorm_positioning=post")),
                "parallel_residual needs layernorm_positioning pre");
        expect(ModelConfig.defaults().with("hidden_size", "250"), "hidden_size 250 is not divisible by heads_num 4");
        expect(ModelConfig.defaults().withOverrides(List.of("heads_num=4", "kv_heads_num=3")), "kv_heads_num 3 does not divide heads_num 4");
        expect(ModelConfig.defaults().with("hidden_size", "\"big\""), "hidden_size must be a whole number");
        expect(ModelConfig.defaults().with("embedding", "pos"), "embedding must include 'word'");
        expect(ModelConfig.defaults().withOverrides(List.of("rotary=half", "embedding=word", "rotary_dim=7")), "rotary_dim 7 must be even");
        expect(ModelConfig.defaults().with("rotary", "half"), "rotary positions and an absolute position embedding");
        expect(ModelConfig.defaults().withOverrides(List.of("encoder=lstm", "rotary=half", "embedding=word")), "a recurrent encoder (lstm)");
        expect(ModelConfig.defaults().withOverrides(List.of("decoder=transformer", "decoder_layers_num=2")), "a decoder needs a target_embedding");
        expect(ModelConfig.defaults().with("mask", "causal_with_prefix"), "mask causal_with_prefix marks the prefix with segment ids");
        expect(ModelConfig.defaults().with("model_type", "llama"), "model_type llama does not fit these choices");
        expect(ModelConfig.defaults().with("learning_rate", "-1"), "learning_rate must be positive");
        assertThatThrownBy(() -> ModelConfig.fromJson("{\"hidden_size\": ")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> ModelConfig.preset("gpt5")).hasMessageContaining("presets: gpt2, gptj, llama, bert, t5-small");
    }

    private static void expect(ModelConfig c, String message) {
        List<String> problems = c.problems();
        assertThat(problems).as("problems of a config that should give \"%s\"", message).hasSize(1);
        assertThat(problems.get(0)).contains(message);
        assertThatThrownBy(c::validated).hasMessageContaining(message);
    }
}
