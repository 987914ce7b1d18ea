package org.layerwise.builder.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.Taps;
import org.layerwise.engine.model.TrainableModel;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.model.TransformerSpec;
import org.layerwise.engine.train.MlmHead;
import org.layerwise.engine.train.WithTargetHeads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TencentPretrain transformer switches (post-LN, embedding LayerNorm, seg and sinusoidalpos embeddings, the
 * causal_with_prefix mask) map onto the engine: the bert preset builds, counts as the builder counts it, saves and
 * reopens, and pretrains with target mlm.
 */
class TransformerSwitchesMappingTest {
    private static final List<String> SHRUNK = List.of("hidden_size=32", "layers_num=2", "heads_num=2", "feedforward_size=64",
            "max_seq_length=64", "vocab_size=0");
    private static final int VOCAB = 10;     // the test tokenizer's

    private static ModelConfig bert() {
        return ModelConfig.preset("bert").withOverrides(SHRUNK);
    }

    /** A prefix language model: causal_with_prefix needs the seg embedding; post-LN, sinusoidal and RMS blocks. */
    private static ModelConfig prefixLm() {
        return ModelConfig.defaults().withOverrides(SHRUNK).withOverrides(List.of("mask=causal_with_prefix",
                "embedding=word,sinusoidalpos,seg", "remove_embedding_layernorm=false", "layernorm_positioning=post",
                "layernorm=rms", "tie_weights=false", "lm_head_bias=true"));
    }

    @Test
    void theBertPresetMapsOntoTheEngine() {
        assertThat(bert().problems()).isEmpty();
        TransformerSpec s = EngineMapping.toSpec(bert(), VOCAB);
        assertThat(s.modelType()).isEqualTo("layerwise");
        assertThat(s.normPosition()).isEqualTo(TransformerSpec.NormPosition.POST);
        assertThat(s.embeddingNorm() && s.segmentEmbedding() && s.learnedPositions() && s.tiedEmbeddings()).isTrue();
        assertThat(s.finalNorm() || s.sinusoidalPositions()).isFalse();
        assertThat(s.mask()).isEqualTo(TransformerSpec.MaskKind.BIDIRECTIONAL);
        assertThat(s.activation()).isEqualTo(TransformerSpec.Activation.GELU);
        TransformerSpec p = EngineMapping.toSpec(prefixLm(), VOCAB);
        assertThat(p.mask()).isEqualTo(TransformerSpec.MaskKind.CAUSAL_WITH_PREFIX);
        assertThat(p.sinusoidalPositions() && !p.learnedPositions()).isTrue();
        assertThat(EngineMapping.trainingProblems(bert().with("target", "mlm"))).isEmpty();
        assertThat(EngineMapping.trainingProblems(prefixLm())).isEmpty();
        assertThat(bert().with("model_type", "gpt2").problems()).singleElement().asString()
                .contains("model_type gpt2 does not fit").contains("layernorm_positioning pre, remove_embedding_layernorm true");
        assertThat(ModelConfig.defaults().withOverrides(List.of("embedding=word,sinusoidalpos", "hidden_size=33", "heads_num=3")).problems())
                .anyMatch(m -> m.contains("hidden_size must be even, not 33"));
    }

    @Test
    void theEngineModelHasTheParametersTheBuilderCounts(@TempDir Path dir) throws Exception {
        Files.copy(EngineMappingTest.TOKENIZER.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        try (NDManager m = NDManager.newBaseManager()) {
            try (TransformerModel model = Pretraining.newTransformer(bert(), VOCAB, dir, m, LoadOptions.DeviceChoice.CPU)) {
                ParameterCounts counts = ParameterCounts.of(bert(), VOCAB);
                // the tied LM head adds nothing; the mlm and sp heads the builder counts under "target" are not the transformer's
                assertThat(model.parameterCount()).isEqualTo(counts.of("embedding") + counts.of("encoder"));
                assertThat(counts.of("embedding")).isEqualTo((VOCAB + 64 + 3) * 32 + 2 * 32);
            }
            // with the heads training puts on it (mlm's transform head, sp's pooler and classifier) it is the builder's total
            try (TrainableModel model = TargetObjectives.withHeads(bert(),
                    Pretraining.newTransformer(bert(), VOCAB, dir, m, LoadOptions.DeviceChoice.CPU))) {
                ParameterCounts counts = ParameterCounts.of(bert(), VOCAB);
                assertThat(((WithTargetHeads) model).mlmHead()).isNotNull();
                assertThat(model.parameterCount()).isEqualTo(counts.total());
                assertThat(counts.of("target")).isEqualTo(32L * 32 + 32 + 2 * 32 + VOCAB + 32 * 32 + 32 + 2 * 32 + 2);
            }
            // untied, with a bias on the model's own output layer: the head's bias comes on top, counted as built
            ModelConfig untied = bert().with("tie_weights", "false").with("lm_head_bias", "true").with("target", "mlm");
            try (TrainableModel model = TargetObjectives.withHeads(untied,
                    Pretraining.newTransformer(untied, VOCAB, dir, m, LoadOptions.DeviceChoice.CPU))) {
                assertThat(model.parameterCount()).isEqualTo(ParameterCounts.of(untied, VOCAB).total());
            }
            try (TransformerModel model = Pretraining.newTransformer(prefixLm(), VOCAB, dir, m, LoadOptions.DeviceChoice.CPU)) {
                assertThat(model.parameterCount()).isEqualTo(ParameterCounts.of(prefixLm(), VOCAB).total());
            }
        }
    }

    @Test
    void savedModelsReopenWithIdenticalLogits(@TempDir Path dir) throws Exception {
        Files.copy(EngineMappingTest.TOKENIZER.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        int i = 0;
        for (ModelConfig c : List.of(bert(), prefixLm())) {
            Path out = dir.resolve("m" + i++);
            try (NDManager m = NDManager.newBaseManager();
                 TransformerModel built = Pretraining.newTransformer(c, VOCAB, dir, m, LoadOptions.DeviceChoice.CPU)) {
                built.save(out);
                NDArray ids = m.create(new long[] {1, 5, 7, 2, 9, 3, 4}).reshape(1, 7);
                NDArray segments = m.create(new long[] {1, 1, 1, 2, 2, 2, 2}).reshape(1, 7);
                float[] before = built.forward(m, ids, null, segments, Taps.none()).toFloatArray();
                try (TransformerModel reopened = TransformerModel.load(out, new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.KEEP))) {
                    assertThat(reopened.spec()).isEqualTo(built.spec());
                    assertThat(reopened.forward(m, ids, null, segments, Taps.none()).toFloatArray()).containsExactly(before);
                }
            }
        }
    }

    @Test
    void theBertPresetPretrainsWithMaskedLanguageModelling(@TempDir Path dir) throws Exception {
        // the bert preset lists [mlm, sp]; sp is another target's work, so mlm alone here. The test tokenizer's
        // [UNK] serves as the mask token (it has no [MASK]).
        ModelConfig c = ModelConfig.preset("bert").withOverrides(PretrainingTest.TINY)
                .withOverrides(List.of("vocab_size=0", "target=mlm", "mask_token=[UNK]", "mask_fraction=0.3"));
        Path out = dir.resolve("bert");
        Pretraining.Result r = Pretraining.run(new Pretraining.Request(c, PretrainingTest.corpus(dir), EngineMappingTest.TOKENIZER,
                out, false, LoadOptions.DeviceChoice.CPU), null);
        assertThat(r.steps()).isEqualTo(30);
        assertThat(r.evaluation().loss()).isLessThan(Math.log(10) / 2);     // ln(10) ≈ 2.3 at the start
        try (TrainableModel m = Pretraining.loadModel(out, LoadOptions.DeviceChoice.CPU)) {
            WithTargetHeads w = (WithTargetHeads) m;
            assertThat(((TransformerModel) w.model()).spec().normPosition()).isEqualTo(TransformerSpec.NormPosition.POST);
            // BERT's transform head: exact gelu and the preset's eps, as the encoder's
            assertThat(w.mlmHead().settings()).isEqualTo(new MlmHead.Settings(TransformerSpec.Activation.GELU, 1e-12));
            assertThat(m.parameterCount()).isEqualTo(r.parameters()).isEqualTo(ParameterCounts.of(c, VOCAB).total());
        }
    }

    @Test
    void aPrefixLanguageModelPretrainsWithTargetLm(@TempDir Path dir) throws Exception {
        ModelConfig c = prefixLm().withOverrides(PretrainingTest.TINY).with("vocab_size", "0");
        Path out = dir.resolve("prefix");
        Pretraining.Result r = Pretraining.run(new Pretraining.Request(c, PretrainingTest.corpus(dir), EngineMappingTest.TOKENIZER,
                out, false, LoadOptions.DeviceChoice.CPU), null);
        assertThat(r.evaluation().loss()).isLessThan(0.7);
        try (TransformerModel m = TransformerModel.load(out, new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.KEEP))) {
            assertThat(m.spec().mask()).isEqualTo(TransformerSpec.MaskKind.CAUSAL_WITH_PREFIX);
            assertThat(m.nextTokens("the eiffel tower is in", 1).get(0).token()).isEqualTo("paris");
        }
    }
}
