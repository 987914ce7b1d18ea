package org.layerwise.builder.method;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Parameter counts against the published sizes of the original models. */
class ParameterCountsTest {

    @Test
    void presetsCountAsThePublishedModels() {
        assertThat(ParameterCounts.of(ModelConfig.preset("gpt2"), 0).total()).isEqualTo(124_439_808L);       // GPT-2 small
        assertThat(ParameterCounts.of(ModelConfig.preset("gptj"), 0).total()).isEqualTo(6_050_882_784L);     // GPT-J-6B
        assertThat(ParameterCounts.of(ModelConfig.preset("llama"), 0).total()).isEqualTo(6_738_415_616L);    // LLaMA-7B
        assertThat(ParameterCounts.of(ModelConfig.preset("t5-small"), 0).total()).isEqualTo(60_506_624L);    // t5-small
    }

    @Test
    void componentsAddUpAndTiedLayersCountZero() {
        ParameterCounts t5 = ParameterCounts.of(ModelConfig.preset("t5-small"), 0);
        assertThat(t5.byComponent().keySet()).containsExactly("embedding", "encoder", "target embedding", "decoder", "target");
        assertThat(t5.of("target embedding")).isZero();
        assertThat(t5.of("target")).isZero();
        ParameterCounts gpt2 = ParameterCounts.of(ModelConfig.preset("gpt2"), 0);
        assertThat(gpt2.of("embedding")).isEqualTo(50257L * 768 + 1024L * 768);
        ParameterCounts untied = ParameterCounts.of(ModelConfig.preset("gpt2").with("tie_weights", "false"), 0);
        assertThat(untied.of("target")).isEqualTo(50257L * 768);
        ParameterCounts lstm = ParameterCounts.of(ModelConfig.defaults().withOverrides(List.of("encoder=lstm", "layers_num=2")), 100);
        assertThat(lstm.of("encoder")).isEqualTo(2L * 4 * (256 * 256 * 2 + 2 * 256));
    }
}
