package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/**
 * The encoder-decoder against an independent T5 forward pass in torch (src/test/resources/seq2seq/make_golden.py,
 * written from the T5 paper and Hugging Face's semantics), save/load, and the errors of broken folders.
 */
class EncoderDecoderModelTest {
    private static final Path GOLDEN = Path.of("src/test/resources/seq2seq");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LoadOptions CPU32 = LoadOptions.of("cpu", "float32");

    private static JsonNode golden() throws Exception {
        return JSON.readTree(GOLDEN.resolve("golden.json").toFile());
    }

    private static NDArray ints(NDManager m, JsonNode rows) {
        int b = rows.size(), t = rows.get(0).size();
        long[] flat = new long[b * t];
        for (int i = 0; i < b; i++) for (int j = 0; j < t; j++) flat[i * t + j] = rows.get(i).get(j).asLong();
        return m.create(flat, new Shape(b, t));
    }

    private static NDArray logits(EncoderDecoderModel model, NDManager m, JsonNode g) {
        return model.forward(m, ints(m, g.get("source")), ints(m, g.get("source_mask")), ints(m, g.get("decoder")),
                ints(m, g.get("decoder_mask")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"t5", "t5-gated"})
    void matchesTheTorchReference(String name) throws Exception {
        JsonNode g = golden();
        try (NDManager m = NDManager.newBaseManager(); EncoderDecoderModel model = EncoderDecoderModel.load(GOLDEN.resolve(name), CPU32)) {
            assertThat(model.spec().modelType()).isEqualTo("t5");
            NDArray out = logits(model, m, g);
            JsonNode expected = g.get(name);
            assertThat(out.getShape()).isEqualTo(new Shape(2, 10, 23));
            float[] got = out.toFloatArray();
            double worst = 0;
            for (int i = 0; i < got.length; i++) {
                double e = expected.get("logits").get(i).asDouble();
                worst = Math.max(worst, Math.abs(got[i] - e) / Math.max(1, Math.abs(e)));
            }
            assertThat(worst).as(name + " worst relative difference").isLessThan(1e-4);
        }
    }

    @Test
    void relativePositionBucketsAreT5s() throws Exception {
        JsonNode b = golden().get("buckets");
        try (NDManager m = NDManager.newBaseManager()) {
            // query 200 of 401 positions sees offsets -200 … 200
            long[] bi = RelativePositionBias.buckets(m, 401, 401, true, 32, 128).get(200).toLongArray();
            long[] uni = RelativePositionBias.buckets(m, 401, 401, false, 32, 128).get(200).toLongArray();
            for (int i = 0; i < 401; i++) {
                assertThat(bi[i]).as("bidirectional bucket of offset " + (i - 200)).isEqualTo(b.get("bidirectional").get(i).asLong());
                assertThat(uni[i]).as("unidirectional bucket of offset " + (i - 200)).isEqualTo(b.get("unidirectional").get(i).asLong());
            }
        }
    }

    @Test
    void savedT5ReopensWithIdenticalLogits(@TempDir Path dir) throws Exception {
        JsonNode g = golden();
        try (NDManager m = NDManager.newBaseManager(); EncoderDecoderModel model = EncoderDecoderModel.load(GOLDEN.resolve("t5"), CPU32)) {
            model.save(dir.resolve("copy"));
            JsonNode config = JSON.readTree(dir.resolve("copy/config.json").toFile());
            assertThat(config.get("model_type").asText()).isEqualTo("t5");
            assertThat(config.get("feed_forward_proj").asText()).isEqualTo("relu");
            assertThat(config.get("architectures").get(0).asText()).isEqualTo("T5ForConditionalGeneration");
            try (EncoderDecoderModel back = EncoderDecoderModel.load(dir.resolve("copy"), CPU32)) {
                assertThat(back.spec()).isEqualTo(model.spec());
                assertThat(logits(back, m, g).toFloatArray()).containsExactly(logits(model, m, g).toFloatArray());
            }
        }
    }

    /** A spec T5 cannot express: LayerNorm, biases, learned positions, a causal encoder, its own decoder embedding and head. */
    static EncoderDecoderSpec composed() {
        return new EncoderDecoderSpec(17, 12, 1, 2, 2, 4, 10, TransformerSpec.NormKind.LAYER, 1e-5,
                TransformerSpec.MlpKind.GATED, TransformerSpec.Activation.GELU, true, true, true, 32, 128, true, true, 16,
                true, false, false, true, 0, 0, 1);
    }

    @Test
    void composedVariantsSaveAsTheEnginesOwnTypeAndReopen(@TempDir Path dir) throws Exception {
        EncoderDecoderSpec spec = composed();
        assertThat(spec.t5Compatible()).isFalse();
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> w = EncoderDecoderModel.randomWeights(spec, m, 7, 0.3f);
            try (EncoderDecoderModel model = EncoderDecoderModel.create(spec, w, null, CPU32, null)) {
                assertThat(model.parameters()).containsKeys("encoder.embed_positions.weight", "decoder.embed_tokens.weight",
                        "lm_head.weight", "lm_head.bias", "decoder.block.1.layer.1.EncDecAttention.o.bias",
                        "encoder.block.0.layer.1.DenseReluDense.wi_0.bias", "decoder.final_layer_norm.bias");
                long expected = spec.shapes().values().stream().mapToLong(Shape::size).sum();
                assertThat(model.parameterCount()).isEqualTo(expected);
                model.save(dir.resolve("m"));
                assertThat(JSON.readTree(dir.resolve("m/config.json").toFile()).get("model_type").asText()).isEqualTo("layerwise-seq2seq");
                NDArray src = m.create(new long[] {3, 4, 5, 1, 9, 2, 0, 0}, new Shape(2, 4));
                NDArray srcMask = m.create(new long[] {1, 1, 1, 1, 1, 1, 0, 0}, new Shape(2, 4));
                NDArray dec = m.create(new long[] {0, 6, 7, 0, 8, 0}, new Shape(2, 3));
                NDArray decMask = m.create(new long[] {1, 1, 1, 1, 1, 0}, new Shape(2, 3));
                float[] before = model.forward(m, src, srcMask, dec, decMask).toFloatArray();
                try (EncoderDecoderModel back = EncoderDecoderModel.load(dir.resolve("m"), CPU32)) {
                    assertThat(back.spec()).isEqualTo(spec);
                    assertThat(back.forward(m, src, srcMask, dec, decMask).toFloatArray()).containsExactly(before);
                }
                // padding does not change the logits of the real tokens
                float[] alone = model.forward(m, src.get("1:, :2"), null, dec.get("1:, :2"), null).toFloatArray();
                float[] padded = model.forward(m, src, srcMask, dec, decMask).get("1:, :2").toFloatArray();
                for (int i = 0; i < alone.length; i++) assertThat(padded[i]).isCloseTo(alone[i], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    private static Path rewritten(Path dir, String drop, String reshape) throws Exception {
        Path copy = Files.createDirectories(dir.resolve("broken"));
        Files.copy(GOLDEN.resolve("t5/config.json"), copy.resolve("config.json"));
        try (NDManager m = NDManager.newBaseManager(); Checkpoint c = Checkpoint.open(GOLDEN.resolve("t5"))) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (String n : c.tensors().keySet()) {
                if (n.equals(drop)) continue;
                NDArray a = c.load(n, m);
                tensors.put(n, n.equals(reshape) ? a.get("1:") : a);
            }
            SafetensorsWriter.write(copy.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        }
        return copy;
    }

    @Test
    void aMissingTensorIsNamed(@TempDir Path dir) throws Exception {
        Path broken = rewritten(dir, "decoder.block.1.layer.1.EncDecAttention.k.weight", null);
        assertThatThrownBy(() -> EncoderDecoderModel.load(broken, CPU32)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("no tensor 'decoder.block.1.layer.1.EncDecAttention.k.weight' (24, 16)")
                .hasMessageContaining("model.safetensors");
    }

    @Test
    void aWrongShapeIsNamed(@TempDir Path dir) throws Exception {
        Path broken = rewritten(dir, null, "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight");
        assertThatThrownBy(() -> EncoderDecoderModel.load(broken, CPU32)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("'encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight' has shape (7, 3)")
                .hasMessageContaining("needs (8, 3)");
    }

    @Test
    void aTruncatedFileAndABadConfigAreRefused(@TempDir Path dir) throws Exception {
        Path copy = Files.createDirectories(dir.resolve("cut"));
        Files.copy(GOLDEN.resolve("t5/config.json"), copy.resolve("config.json"));
        byte[] all = Files.readAllBytes(GOLDEN.resolve("t5/model.safetensors"));
        Files.write(copy.resolve("model.safetensors"), java.util.Arrays.copyOf(all, all.length - 100));
        assertThatThrownBy(() -> EncoderDecoderModel.load(copy, CPU32)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model.safetensors");
        Files.writeString(copy.resolve("config.json"), Files.readString(GOLDEN.resolve("t5/config.json"))
                .replace("\"feed_forward_proj\": \"relu\"", "\"feed_forward_proj\": \"fancy-relu\""));
        Files.copy(GOLDEN.resolve("t5/model.safetensors"), copy.resolve("model.safetensors"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> EncoderDecoderModel.load(copy, CPU32)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("config.json").hasMessageContaining("feed_forward_proj 'fancy-relu'");
    }

    @Test
    void badInputsAreRefusedPlainly() throws Exception {
        try (NDManager m = NDManager.newBaseManager(); EncoderDecoderModel model = EncoderDecoderModel.load(GOLDEN.resolve("t5"), CPU32)) {
            NDArray src = m.create(new long[] {3, 4, 5}, new Shape(1, 3));
            assertThatThrownBy(() -> model.forward(m, src, null, m.create(new long[] {0, 23}, new Shape(1, 2)), null))
                    .hasMessageContaining("decoder input ids: token id 23 is outside the vocabulary of 23");
            assertThatThrownBy(() -> model.forward(m, src, m.create(new long[] {1, 1}, new Shape(1, 2)), src, null))
                    .hasMessageContaining("source mask (1, 2) must match its ids (1, 3)");
            assertThatThrownBy(() -> model.forward(m, src, null, m.create(new long[] {0, 1}, new Shape(2, 1)), null))
                    .hasMessageContaining("same batch size");
            int[] out = model.generate(new int[] {3, 4, 5}, 4);
            assertThat(out.length).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void passesLeaveNothingBehindInTheModel() throws Exception {
        JsonNode g = golden();
        try (NDManager m = NDManager.newBaseManager(); EncoderDecoderModel model = EncoderDecoderModel.load(GOLDEN.resolve("t5"), CPU32)) {
            int before = model.managedArrays();
            for (int i = 0; i < 3; i++) {
                try (NDManager call = m.newSubManager()) {
                    logits(model, call, g);
                    model.encoderOutput(call, ints(call, g.get("source")), null);
                }
                model.generate(new int[] {3, 4, 5}, 5);
            }
            assertThat(model.managedArrays()).isEqualTo(before);
        }
    }
}
