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

    /**
     * bert-base-uncased as Hugging Face's BertForMaskedLM counts it: 109,514,298 (embeddings 23,837,184 with 2
     * segment rows, 12 layers 85,054,464, MLM head 622,650 = 768² + 768 + 2·768 + 30522, decoder tied, no pooler).
     * TencentPretrain's segment table has a third row (padding), hence +768. With sp the pooler (768² + 768) and the
     * NSP classifier (2·768 + 2) join: BertForPreTraining's 110,106,428, +768.
     */
    @Test
    void bertBaseCountsAsBertForMaskedLmPlusOneSegmentRow() {
        ModelConfig bertBase = ModelConfig.preset("bert").with("vocab_size", "30522");
        long d = 768, v = 30522;
        ParameterCounts mlm = ParameterCounts.of(bertBase.with("target", "mlm"), 0);
        assertThat(mlm.of("target")).isEqualTo(d * d + d + 2 * d + v).isEqualTo(622_650L);
        assertThat(mlm.total()).isEqualTo(109_514_298L + d).isEqualTo(109_515_066L);
        ParameterCounts pretraining = ParameterCounts.of(bertBase, 0);          // the preset's [mlm, sp]
        assertThat(pretraining.total() - mlm.total()).isEqualTo(590_592L + 1_538L);
        assertThat(pretraining.total()).isEqualTo(110_106_428L + d);
        // untied, the output layer is the model's own ([V, d]); the head's bias stays the head's
        assertThat(ParameterCounts.of(bertBase.with("target", "mlm").with("tie_weights", "false"), 0).of("target"))
                .isEqualTo(v * d + d * d + d + 2 * d + v);
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
