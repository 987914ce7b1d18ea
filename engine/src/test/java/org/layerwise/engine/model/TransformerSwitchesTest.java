package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.layerwise.engine.checkpoint.Checkpoint;
import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.checkpoint.SafetensorsWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.layerwise.engine.model.GoldenLogitsTest.maxAbsDiff;

/**
 * The TencentPretrain switches of the one transformer (post-LN, embedding LayerNorm, segment embedding, sinusoidal
 * positions, causal_with_prefix mask) against an independent PyTorch implementation: the folders under
 * src/test/resources/switches and their golden.safetensors are made by make_golden.py there.
 */
class TransformerSwitchesTest {
    private static final Path GOLDEN = Path.of("src/test/resources/switches");
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"bert-post", "prefix-lm"})
    void matchesTheIndependentReference(String name) throws Exception {
        try (NDManager m = NDManager.newBaseManager();
             TransformerModel model = TransformerModel.load(GOLDEN.resolve(name), LoadOptions.of("cpu", "float32"))) {
            Map<String, NDArray> g = GoldenFolder.read(GOLDEN.resolve(name).resolve("golden.safetensors"), m);
            NDArray ids = g.get("input_ids"), mask = g.get("attention_mask"), segments = g.get("segments");
            NDArray expected = g.get("logits");
            double tolerance = 1e-4 * Math.max(1, expected.abs().max().getFloat());
            NDArray logits = model.forward(m, ids, mask, segments, Taps.none());
            assertThat(maxAbsDiff(logits, expected)).as(name + " with segments").isLessThanOrEqualTo(tolerance);
            // the training path (TokenModel) is the same pass
            assertThat(maxAbsDiff(model.logits(m, model.hidden(m, ids, mask, segments)), expected)).as(name + " hidden → logits")
                    .isLessThanOrEqualTo(tolerance);
            // no segments: real tokens are segment 1 and there is no prefix (plain causal for causal_with_prefix)
            assertThat(maxAbsDiff(model.forward(m, ids, mask, Taps.none()), g.get("logits_without_segments")))
                    .as(name + " without segments").isLessThanOrEqualTo(tolerance);
            assertThat(maxAbsDiff(logits, g.get("logits_without_segments"))).as("segments matter").isGreaterThan(0.1);
        }
    }

    @Test
    void savedAndLoadedGiveIdenticalLogits(@TempDir Path tmp) throws Exception {
        for (String name : new String[] {"bert-post", "prefix-lm"}) {
            try (NDManager m = NDManager.newBaseManager();
                 TransformerModel model = TransformerModel.load(GOLDEN.resolve(name), LoadOptions.of("cpu", "float32"))) {
                Map<String, NDArray> g = GoldenFolder.read(GOLDEN.resolve(name).resolve("golden.safetensors"), m);
                NDArray before = model.forward(m, g.get("input_ids"), g.get("attention_mask"), g.get("segments"), Taps.none());
                model.save(tmp.resolve(name));
                try (Checkpoint written = Checkpoint.open(tmp.resolve(name))) {
                    assertThat(written.tensors()).containsKeys("seg_embed.weight", "blocks.1.norm2.weight");
                    if (model.spec().embeddingNorm()) assertThat(written.tensors()).containsKeys("embed_norm.weight", "embed_norm.bias");
                }
                try (TransformerModel reopened = TransformerModel.load(tmp.resolve(name), LoadOptions.of("cpu", "float32"))) {
                    assertThat(reopened.spec()).isEqualTo(model.spec());
                    NDArray after = reopened.forward(m, g.get("input_ids"), g.get("attention_mask"), g.get("segments"), Taps.none());
                    assertThat(after.toFloatArray()).as(name).containsExactly(before.toFloatArray());
                }
            }
        }
    }

    @Test
    void aPostLnCheckpointWithoutANormTensorIsRefusedByName(@TempDir Path tmp) throws Exception {
        Path broken = tmp.resolve("broken");
        Files.createDirectories(broken);
        for (String f : new String[] {"config.json", "tokenizer.json"}) Files.copy(GOLDEN.resolve("bert-post").resolve(f), broken.resolve(f));
        try (NDManager m = NDManager.newBaseManager(); Checkpoint ckpt = Checkpoint.open(GOLDEN.resolve("bert-post"))) {
            Map<String, NDArray> w = new LinkedHashMap<>();
            for (String n : ckpt.tensors().keySet()) if (!n.equals("blocks.1.norm2.weight")) w.put(n, ckpt.load(n, m));
            SafetensorsWriter.write(broken.resolve("model.safetensors"), w, Map.of());
        }
        assertThatThrownBy(() -> TransformerModel.load(broken, LoadOptions.of("cpu", "float32")))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(broken.resolve("model.safetensors").toString())
                .hasMessageContaining("no tensor 'blocks.1.norm2.weight' (16)").hasMessageContaining("config.json");
    }

    @Test
    void badSegmentIdsAreNamed() throws Exception {
        try (NDManager m = NDManager.newBaseManager();
             TransformerModel model = TransformerModel.load(GOLDEN.resolve("bert-post"), LoadOptions.of("cpu", "float32"))) {
            NDArray ids = m.create(new long[] {1, 2, 3}).reshape(1, 3);
            assertThatThrownBy(() -> model.forward(m, ids, null, m.create(new long[] {1, 3, 1}).reshape(1, 3), Taps.none()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segment id 3");
            assertThatThrownBy(() -> model.forward(m, ids, null, m.create(new long[] {1, 1}).reshape(1, 2), Taps.none()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segment ids (1, 2) must be [1, 3]");
        }
    }

    @Test
    void aPrefixLanguageModelGeneratesAsACausalOne() throws Exception {
        try (TransformerModel model = TransformerModel.load(GOLDEN.resolve("prefix-lm"), LoadOptions.of("cpu", "float32"))) {
            assertThat(model.bidirectional()).isFalse();
            int[] cached = model.generate(new int[] {1, 2, 3}, GenerationConfig.greedy(5), null).tokenIds();
            GenerationConfig noCache = new GenerationConfig(5, 0, 0, 1, 0, java.util.List.of(), false);
            assertThat(model.generate(new int[] {1, 2, 3}, noCache, null).tokenIds()).containsExactly(cached);
        }
    }

    @Test
    void switchesRoundTripAndStayOutOfTheHuggingFaceFamilies() throws Exception {
        TransformerSpec bert = TransformerSpec.fromHuggingFaceConfig(JSON.readTree(GOLDEN.resolve("bert-post/config.json").toFile()));
        assertThat(bert.normPosition()).isEqualTo(TransformerSpec.NormPosition.POST);
        assertThat(bert.embeddingNorm() && bert.segmentEmbedding() && bert.sinusoidalPositions()).isTrue();
        assertThat(TransformerSpec.fromHuggingFaceConfig(bert.toHuggingFaceConfig(null, "float32"))).isEqualTo(bert);
        assertThat(WeightLayout.shapes(bert)).containsKeys("seg_embed.weight", "embed_norm.weight", "embed_norm.bias")
                .doesNotContainKeys("pos_embed.weight", "final_norm.weight");

        // a layerwise config written before the switches existed reads as pre-LN with none of them
        ObjectNode old = bert.toHuggingFaceConfig(null, null);
        ObjectNode s = (ObjectNode) old.get("layerwise_spec");
        s.remove(java.util.List.of("normPosition", "embeddingNorm", "segmentEmbedding", "sinusoidalPositions"));
        s.put("finalNorm", true);
        TransformerSpec plain = TransformerSpec.fromHuggingFaceConfig(old);
        assertThat(plain.normPosition()).isEqualTo(TransformerSpec.NormPosition.PRE);
        assertThat(plain.embeddingNorm() || plain.segmentEmbedding() || plain.sinusoidalPositions()).isFalse();

        TransformerSpec gpt2 = TinyModels.gpt2();
        for (TransformerSpec switched : new TransformerSpec[] {
                gpt2.toBuilder().normPosition(TransformerSpec.NormPosition.POST).build(),
                gpt2.toBuilder().embeddingNorm(true).build(), gpt2.toBuilder().segmentEmbedding(true).build(),
                gpt2.toBuilder().mask(TransformerSpec.MaskKind.CAUSAL_WITH_PREFIX).build()})
            assertThatThrownBy(() -> switched.toHuggingFaceConfig(null, null)).hasMessageContaining("layerwise");
        assertThatThrownBy(() -> TinyModels.gptj().toBuilder().modelType("layerwise").normPosition(TransformerSpec.NormPosition.POST).build())
                .hasMessageContaining("post-LN blocks need the sequential residual");
        assertThatThrownBy(() -> gpt2.toBuilder().modelType("layerwise").dModel(33).heads(3).kvHeads(3).headDim(11).sinusoidalPositions(true).build())
                .hasMessageContaining("even width");
    }
}
