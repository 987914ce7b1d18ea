package org.layerwise.engine.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.checkpoint.SafetensorsWriter;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.TokenModel;
import org.layerwise.engine.model.TransformerSpec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** BERT's MLM transform head: numerics against PyTorch, training through it, and its saved tensors checked on load. */
class MlmHeadTest {
    private static final int MASK = TinyTraining.VOCAB;
    private static final MlmHead.Settings BERT = new MlmHead.Settings(TransformerSpec.Activation.GELU, 1e-12);

    /** A decoder that is only a tied output layer: logits = hidden · Eᵀ. */
    private record TiedEmbedding(NDArray embedding) implements TokenModel {
        @Override public boolean bidirectional() { return true; }
        @Override public int vocabSize() { return (int) embedding.getShape().get(0); }
        @Override public int width() { return (int) embedding.getShape().get(1); }
        @Override public int maxPositions() { return 8; }
        @Override public NDArray hidden(NDManager scope, NDArray ids, NDArray mask, NDArray segments) { throw new UnsupportedOperationException(); }
        @Override public NDArray logits(NDManager scope, NDArray hidden) { return hidden.matMul(embedding.transpose()); }
        @Override public String name() { return "tied-embedding"; }
        @Override public Map<String, NDArray> parameters() { return Map.of("embed.weight", embedding); }
        @Override public DataType dataType() { return DataType.FLOAT32; }
        @Override public Device djlDevice() { return embedding.getDevice(); }
        @Override public void save(Path dir) { throw new UnsupportedOperationException(); }
        @Override public void close() {}
    }

    private static NDArray array(NDManager m, JsonNode values, long... shape) {
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) values.get(i).asDouble();
        return m.create(v, new Shape(shape));
    }

    @Test
    void matchesPyTorchForEachActivation() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(Path.of("src/test/resources/mlmhead/golden.json").toFile());
        assertThat(golden.get("cases")).hasSize(3);
        for (JsonNode c : golden.get("cases")) {
            int b = c.get("shape").get(0).asInt(), t = c.get("shape").get(1).asInt(), d = c.get("shape").get(2).asInt(),
                    v = c.get("shape").get(3).asInt();
            try (NDManager m = NDManager.newBaseManager(); GradMode off = GradMode.off()) {
                MlmHead head = new MlmHead(new TiedEmbedding(array(m, c.get("embedding"), v, d)), array(m, c.get("dense_weight"), d, d),
                        array(m, c.get("dense_bias"), d), array(m, c.get("norm_weight"), d), array(m, c.get("norm_bias"), d),
                        array(m, c.get("bias"), v), TransformerSpec.Activation.fromHuggingFace(c.get("activation").asText()),
                        c.get("eps").asDouble());
                float[] got = head.logits(m, array(m, c.get("hidden"), b, t, d)).toFloatArray();
                float[] want = array(m, c.get("logits"), b, t, v).toFloatArray();
                assertThat(got).hasSize(b * t * v);
                for (int i = 0; i < got.length; i++)
                    assertThat((double) got[i]).as(c.get("activation").asText() + " logit " + i)
                            .isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, Math.abs(want[i]))));
            }
        }
    }

    @Test
    void masksAreLearnedThroughTheHeadAndTheHeadTrains() throws Exception {
        try (NDManager m = NDManager.newBaseManager();
             WithTargetHeads model = WithTargetHeads.create(TinyTraining.encoder(m), Map.of(), BERT, 9, 0.1)) {
            int d = model.width(), v = model.vocabSize();
            assertThat(model.headParameterCount()).isEqualTo((long) d * d + d + 2L * d + v);
            assertThat(model.parameters()).containsKeys(MlmHead.NAMES);
            MaskedLanguageModelObjective mlm = new MaskedLanguageModelObjective(model, MASK, 0.25, 3);
            assertThat(mlm.hasHead()).isTrue();
            assertThat(new MaskedLanguageModelObjective(model.model(), MASK, 0.25, 3).hasHead()).isFalse();
            float[] denseBefore = model.parameters().get(MlmHead.NAMES[0]).toFloatArray();
            float[] biasBefore = model.parameters().get(MlmHead.NAMES[4]).toFloatArray();
            TokenDataset data = TokenDataset.ofSequences(TinyTraining.corpus(32), 16, 8, 3);
            TrainingOptions opts = new TrainingOptions(150, 1, 1.0, new LearningRateSchedule(2e-2, 5, 150,
                    LearningRateSchedule.Decay.COSINE, 1e-3), 0, 0);
            try (Trainer<TokenBatch> t = new Trainer<>(model, mlm, AdamW.standard(m), opts, 3)) {
                Evaluation before = t.evaluate(data.evaluationBatches());
                t.run(data, List.of(), null, null);
                Evaluation after = t.evaluate(data.evaluationBatches());
                System.out.printf("mlm through the head: eval loss %.3f -> %.3f%n", before.loss(), after.loss());
                assertThat(after.loss()).isLessThan(0.7 * before.loss());
            }
            assertThat(model.parameters().get(MlmHead.NAMES[0]).toFloatArray()).isNotEqualTo(denseBefore);
            assertThat(model.parameters().get(MlmHead.NAMES[4]).toFloatArray()).isNotEqualTo(biasBefore);
            // the wrapper's logits are the head's, not the bare LM head's
            try (GradMode off = GradMode.off(); NDManager s = m.newSubManager()) {
                NDArray hidden = model.hidden(s, s.create(new long[] {1, 2, MASK, 4}, new Shape(1, 4)), null, null);
                assertThat(model.logits(s, hidden).toFloatArray()).containsExactly(model.mlmHead().logits(s, hidden).toFloatArray());
                assertThat(model.logits(s, hidden).toFloatArray()).isNotEqualTo(model.model().logits(s, hidden).toFloatArray());
            }
        }
    }

    @Test
    void savedHeadsAreCheckedTensorByTensor(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager();
             WithTargetHeads model = WithTargetHeads.create(TinyTraining.encoder(m), Map.of("sp", 2), BERT, 9, 0.1)) {
            Map<String, NDArray> heads = new LinkedHashMap<>(model.parameters());
            heads.keySet().removeIf(k -> !k.startsWith("target."));
            Path good = dir.resolve("good"), missing = dir.resolve("missing"), wrong = dir.resolve("wrong");
            for (Path p : List.of(good, missing, wrong)) java.nio.file.Files.createDirectories(p);
            SafetensorsWriter.write(good.resolve(WithTargetHeads.FILE), heads, Map.of("classes", "sp:2", "mlm", "gelu,1e-12"));
            Map<String, NDArray> less = new LinkedHashMap<>(heads);
            less.remove("target.mlm.bias");
            SafetensorsWriter.write(missing.resolve(WithTargetHeads.FILE), less, Map.of("classes", "sp:2", "mlm", "gelu,1e-12"));
            Map<String, NDArray> bad = new LinkedHashMap<>(heads);
            bad.put("target.mlm.norm.weight", m.ones(new Shape(3)));
            SafetensorsWriter.write(wrong.resolve(WithTargetHeads.FILE), bad, Map.of("classes", "sp:2", "mlm", "gelu,1e-12"));

            try (WithTargetHeads back = WithTargetHeads.load(TinyTraining.encoder(m), good); GradMode off = GradMode.off(); NDManager s = m.newSubManager()) {
                assertThat(back.mlmHead().settings()).isEqualTo(BERT);
                assertThat(back.classes()).isEqualTo(Map.of("sp", 2));
                NDArray ids = s.create(new long[] {1, 2, MASK, 4}, new Shape(1, 4));
                assertThat(back.logits(s, back.hidden(s, ids, null, null)).toFloatArray())
                        .containsExactly(model.logits(s, model.hidden(s, ids, null, null)).toFloatArray());
            }
            assertThatThrownBy(() -> WithTargetHeads.load(TinyTraining.encoder(m), missing)).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("has no tensor target.mlm.bias (the mlm head)");
            assertThatThrownBy(() -> WithTargetHeads.load(TinyTraining.encoder(m), wrong)).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("target.mlm.norm.weight has shape [3], expected [16]");
            SafetensorsWriter.write(wrong.resolve(WithTargetHeads.FILE), heads, Map.of("classes", "sp:2", "mlm", "tanh,1e-12"));
            assertThatThrownBy(() -> WithTargetHeads.load(TinyTraining.encoder(m), wrong)).hasMessageContaining("metadata \"mlm\" must read activation,eps");
            // without the mlm record its tensors are strangers
            SafetensorsWriter.write(wrong.resolve(WithTargetHeads.FILE), heads, Map.of("classes", "sp:2"));
            assertThatThrownBy(() -> WithTargetHeads.load(TinyTraining.encoder(m), wrong)).hasMessageContaining("unexpected tensor target.mlm.");
        }
    }
}
