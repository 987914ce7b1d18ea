package org.layerwise.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Presets read from Hugging Face config.json files (transformers 4.x and 5.x keys) and written back. */
class TransformerSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception { return JSON.readTree(s.replace('\'', '"')); }

    @Test
    void gptjConfigGivesParallelInterleavedPartialRotary() throws Exception {
        TransformerSpec s = TransformerSpec.fromHuggingFaceConfig(json(
                "{'model_type':'gptj','n_embd':4096,'n_head':16,'n_layer':28,'rotary_dim':64,'n_positions':2048,'vocab_size':50400}"));
        assertThat(s.headDim()).isEqualTo(256);
        assertThat(s.rotaryDim()).isEqualTo(64);
        assertThat(s.rotary()).isEqualTo(TransformerSpec.RotaryStyle.INTERLEAVED);
        assertThat(s.residual()).isEqualTo(TransformerSpec.Residual.PARALLEL);
        assertThat(s.intermediateSize()).isEqualTo(4 * 4096);
        assertThat(s.qkvBias() || s.outBias()).isFalse();
        assertThat(s.mlpBias() && s.lmHeadBias()).isTrue();
        assertThat(s.tiedEmbeddings()).isFalse();
        assertThat(s.activation()).isEqualTo(TransformerSpec.Activation.GELU_NEW);
    }

    @Test
    void llamaConfigsHonourGqaTyingEpsAndBothRopeFormats() throws Exception {
        TransformerSpec v4 = TransformerSpec.fromHuggingFaceConfig(json("{'model_type':'llama','hidden_size':64,'num_attention_heads':8,"
                + "'num_key_value_heads':2,'num_hidden_layers':3,'intermediate_size':96,'rms_norm_eps':1e-5,'rope_theta':500000.0,"
                + "'tie_word_embeddings':true,'vocab_size':100,'max_position_embeddings':128,'attention_bias':true,'mlp_bias':true}"));
        assertThat(v4.kvHeads()).isEqualTo(2);
        assertThat(v4.headDim()).isEqualTo(8);
        assertThat(v4.ropeTheta()).isEqualTo(500000.0);
        assertThat(v4.normEps()).isEqualTo(1e-5);
        assertThat(v4.tiedEmbeddings() && v4.qkvBias() && v4.outBias() && v4.mlpBias()).isTrue();
        assertThat(v4.mlp()).isEqualTo(TransformerSpec.MlpKind.GATED);
        assertThat(v4.norm()).isEqualTo(TransformerSpec.NormKind.RMS);

        TransformerSpec v5 = TransformerSpec.fromHuggingFaceConfig(json("{'model_type':'mistral','hidden_size':64,'num_attention_heads':8,"
                + "'num_key_value_heads':2,'head_dim':16,'rope_parameters':{'rope_type':'default','rope_theta':1000000.0},"
                + "'sliding_window':4096,'vocab_size':100,'intermediate_size':96,'num_hidden_layers':1}"));
        assertThat(v5.ropeTheta()).isEqualTo(1e6);
        assertThat(v5.headDim()).isEqualTo(16);
        assertThat(v5.slidingWindow()).isEqualTo(4096);
        assertThat(v5.tiedEmbeddings()).isFalse();

        assertThatThrownBy(() -> TransformerSpec.fromHuggingFaceConfig(json("{'model_type':'llama','rope_parameters':{'rope_type':'llama3','rope_theta':5e5}}")))
                .hasMessageContaining("llama3");
    }

    @Test
    void gpt2ConfigDefaultsAndUnsupportedOptions() throws Exception {
        TransformerSpec s = TransformerSpec.fromHuggingFaceConfig(json("{'model_type':'gpt2','n_inner':null}"));
        assertThat(s.dModel()).isEqualTo(768);
        assertThat(s.intermediateSize()).isEqualTo(3072);
        assertThat(s.learnedPositions() && s.tiedEmbeddings() && s.qkvBias()).isTrue();
        assertThat(s.rotary()).isEqualTo(TransformerSpec.RotaryStyle.NONE);
        assertThatThrownBy(() -> TransformerSpec.fromHuggingFaceConfig(json("{'model_type':'gpt2','scale_attn_by_inverse_layer_idx':true}")))
                .hasMessageContaining("scale_attn_by_inverse_layer_idx");
    }

    @Test
    void unknownModelTypeNamesItAndTheSupportedOnes() throws Exception {
        assertThatThrownBy(() -> TransformerSpec.fromHuggingFaceConfig(json("{'model_type':'bert'}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bert'").hasMessageContaining("gpt2, gptj, llama, mistral");
        assertThatThrownBy(() -> TransformerSpec.builder().vocabSize(10).dModel(8).layers(1).heads(3).kvHeads(2).mlp(TransformerSpec.MlpKind.GATED, TransformerSpec.Activation.SILU, 8, false).build())
                .hasMessageContaining("multiple of kv heads");
    }

    @Test
    void configsRoundTrip() throws Exception {
        for (String name : new String[] {"gpt2", "gptj", "llama-gqa", "llama-tied", "mistral"}) {
            JsonNode original = GoldenFolder.open(name).config;
            TransformerSpec spec = TransformerSpec.fromHuggingFaceConfig(original);
            ObjectNode written = spec.toHuggingFaceConfig(original, "float32");
            assertThat(TransformerSpec.fromHuggingFaceConfig(written)).as(name).isEqualTo(spec);
            assertThat(written.get("eos_token_id")).isEqualTo(original.get("eos_token_id"));
        }
        TransformerSpec custom = TinyModels.gpt2().toBuilder().modelType("layerwise").norm(TransformerSpec.NormKind.RMS, 1e-6)
                .mask(TransformerSpec.MaskKind.BIDIRECTIONAL).build();
        assertThat(TransformerSpec.fromHuggingFaceConfig(custom.toHuggingFaceConfig(null, null))).isEqualTo(custom);
        assertThatThrownBy(() -> custom.toBuilder().modelType("gpt2").build().toHuggingFaceConfig(null, null))
                .hasMessageContaining("layerwise");
    }
}
