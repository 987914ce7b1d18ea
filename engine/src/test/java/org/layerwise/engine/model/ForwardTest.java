package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.layerwise.engine.model.GoldenLogitsTest.maxAbsDiff;

/** Shapes, masks, grouped-query attention, padding and dtypes of the forward pass, on random tiny models. */
class ForwardTest {

    @Test
    void logitsHaveBatchTokensVocabShapeInFloat32() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(TinyModels.llama(4, 2), m, 1)) {
            NDArray ids = m.create(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, new Shape(2, 5));
            NDArray logits = model.forward(m, ids, null, Taps.none());
            assertThat(logits.getShape()).isEqualTo(new Shape(2, 5, TinyModels.VOCAB));
            assertThat(logits.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(model.forward(m, new int[] {1, 2, 3}, Taps.none()).getShape()).isEqualTo(new Shape(3, TinyModels.VOCAB));
            assertThat(model.summary()).isEqualTo("llama · 2 layers · d=32 · 4/2 heads");
            // embed 40x32, per layer: 2 norms 32, qkv 64x32, out 32x32, gate/up 48x32, down 32x48; final norm; lm head 40x32
            long perLayer = 2 * 32 + 64 * 32 + 32 * 32 + 3 * 48 * 32;
            assertThat(model.parameterCount()).isEqualTo(40 * 32 + 2 * perLayer + 32 + 40 * 32);
            assertThat(model.weightBytes()).isEqualTo(4 * model.parameterCount());
            assertThat(model.dtype()).isEqualTo("float32");
            assertThat(model.device()).isEqualTo("cpu");
        }
    }

    @Test
    void causalMaskHidesLaterTokens() {
        for (TransformerSpec spec : new TransformerSpec[] {TinyModels.llama(4, 2), TinyModels.gpt2(), TinyModels.gptj()}) {
            try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(spec, m, 2)) {
                NDArray a = model.forward(m, new int[] {5, 6, 7, 8, 9}, Taps.none());
                NDArray b = model.forward(m, new int[] {5, 6, 7, 8, 30}, Taps.none());
                assertThat(maxAbsDiff(a.get(":4"), b.get(":4"))).as(spec.modelType()).isLessThan(1e-6);
                assertThat(maxAbsDiff(a.get("4"), b.get("4"))).as(spec.modelType()).isGreaterThan(1e-3);
            }
        }
    }

    @Test
    void bidirectionalMaskLetsEarlierTokensSeeLaterOnes() {
        TransformerSpec spec = TinyModels.gpt2().toBuilder().modelType("layerwise").mask(TransformerSpec.MaskKind.BIDIRECTIONAL).build();
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(spec, m, 3)) {
            NDArray a = model.forward(m, new int[] {5, 6, 7, 8, 9}, Taps.none());
            NDArray b = model.forward(m, new int[] {5, 6, 7, 8, 30}, Taps.none());
            assertThat(maxAbsDiff(a.get("0"), b.get("0"))).isGreaterThan(1e-3);
            assertThatThrownBy(() -> model.generate(new int[] {1}, GenerationConfig.greedy(2), null))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void slidingWindowLimitsWhatEachQuerySees() {
        TransformerSpec spec = TinyModels.llama(4, 2).toBuilder().modelType("mistral").slidingWindow(3).build();
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(spec, m, 10)) {
            // two layers of window 3: position 5 sees positions 1..5 at most
            NDArray base = model.forward(m, new int[] {1, 2, 3, 4, 5, 6}, Taps.none());
            NDArray first = model.forward(m, new int[] {30, 2, 3, 4, 5, 6}, Taps.none());
            NDArray second = model.forward(m, new int[] {1, 30, 3, 4, 5, 6}, Taps.none());
            assertThat(maxAbsDiff(base.get(5), first.get(5))).isLessThan(1e-6);
            assertThat(maxAbsDiff(base.get(5), second.get(5))).isGreaterThan(1e-4);
            int[] cached = model.generate(new int[] {1, 2, 3, 4}, GenerationConfig.greedy(8), null).tokenIds();
            int[] full = model.generate(new int[] {1, 2, 3, 4}, new GenerationConfig(8, 0, 0, 1, 0, java.util.List.of(), false), null).tokenIds();
            assertThat(cached).containsExactly(full);
        }
    }

    @Test
    void groupedQueryAttentionEqualsMultiHeadWithRepeatedKeyValueHeads() {
        TransformerSpec gqa = TinyModels.llama(4, 2);
        TransformerSpec mha = TinyModels.llama(4, 4);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> w = RandomWeights.create(gqa, m, 4, 0.3f);
            Map<String, NDArray> repeated = new LinkedHashMap<>(w);
            for (int l = 0; l < gqa.layers(); l++) {
                for (String p : new String[] {"k", "v"}) {
                    String name = "model.layers." + l + ".self_attn." + p + "_proj.weight";
                    // kv head h serves query heads 2h and 2h+1: repeat each head's rows twice, in place
                    NDArray heads = w.get(name).reshape(2, 1, 8, 32);
                    repeated.put(name, heads.concat(heads, 1).reshape(32, 32));
                }
            }
            try (TransformerModel a = TinyModels.create(gqa, w, LoadOptions.DtypeChoice.FLOAT32, null);
                 TransformerModel b = TinyModels.create(mha, repeated, LoadOptions.DtypeChoice.FLOAT32, null)) {
                int[] ids = {3, 1, 4, 1, 5, 9, 2, 6};
                assertThat(maxAbsDiff(a.forward(m, ids, Taps.none()), b.forward(m, ids, Taps.none()))).isLessThan(1e-5);
            }
        }
    }

    @Test
    void paddedBatchMatchesUnpaddedSequences() {
        for (TransformerSpec spec : new TransformerSpec[] {TinyModels.llama(4, 2), TinyModels.gpt2(), TinyModels.gptj()}) {
            try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(spec, m, 5)) {
                int[] longer = {11, 12, 13, 14, 15};
                int[] shorter = {21, 22, 23};
                NDArray aloneLong = model.forward(m, longer, Taps.none());
                NDArray aloneShort = model.forward(m, shorter, Taps.none());

                NDArray right = model.forward(m, m.create(new int[] {11, 12, 13, 14, 15, 21, 22, 23, 0, 0}, new Shape(2, 5)),
                        m.create(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, new Shape(2, 5)), Taps.none());
                assertThat(maxAbsDiff(right.get(0), aloneLong)).as(spec.modelType() + " right, full row").isLessThan(1e-5);
                assertThat(maxAbsDiff(right.get("1, :3"), aloneShort)).as(spec.modelType() + " right padding").isLessThan(1e-5);

                NDArray left = model.forward(m, m.create(new int[] {11, 12, 13, 14, 15, 0, 0, 21, 22, 23}, new Shape(2, 5)),
                        m.create(new int[] {1, 1, 1, 1, 1, 0, 0, 1, 1, 1}, new Shape(2, 5)), Taps.none());
                assertThat(maxAbsDiff(left.get(0), aloneLong)).as(spec.modelType() + " left, full row").isLessThan(1e-5);
                assertThat(maxAbsDiff(left.get("1, 2:"), aloneShort)).as(spec.modelType() + " left padding").isLessThan(1e-5);
                assertThat(left.isNaN().any().getBoolean()).isFalse();
            }
        }
    }

    @Test
    void inPlaceInferencePathEqualsTheAutogradPath() {
        for (TransformerSpec spec : new TransformerSpec[] {TinyModels.llama(4, 2), TinyModels.gpt2()}) {
            try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(spec, m, 9)) {
                int[] ids = {2, 7, 1, 8, 2, 8};
                NDArray off;
                try (GradMode g = GradMode.off()) {
                    assertThat(GradMode.isEnabled()).isFalse();
                    off = model.forward(m, ids, Taps.none());
                }
                NDArray on;
                try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                    assertThat(GradMode.isEnabled()).isTrue();
                    on = model.forward(m, ids, Taps.none());
                }
                assertThat(maxAbsDiff(off, on)).as(spec.modelType()).isLessThan(1e-6);
            }
        }
    }

    @Test
    void halfPrecisionWeightsRunWithFloat32Logits() {
        TransformerSpec spec = TinyModels.llama(4, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> w = RandomWeights.create(spec, m, 6, 0.3f);
            try (TransformerModel full = TinyModels.create(spec, w, LoadOptions.DtypeChoice.FLOAT32, null);
                 TransformerModel half = TinyModels.create(spec, w, LoadOptions.DtypeChoice.FLOAT16, null)) {
                assertThat(half.dtype()).isEqualTo("float16");
                assertThat(half.parameter("blocks.0.attn.qkv.weight").getDataType()).isEqualTo(DataType.FLOAT16);
                assertThat(half.parameter("blocks.0.norm1.weight").getDataType()).as("norms stay float32").isEqualTo(DataType.FLOAT32);
                assertThat(half.weightBytes()).isLessThan(full.weightBytes() * 6 / 10);
                int[] ids = {1, 2, 3, 4, 5, 6};
                NDArray a = full.forward(m, ids, Taps.none());
                NDArray b = half.forward(m, ids, Taps.none());
                assertThat(b.getDataType()).isEqualTo(DataType.FLOAT32);
                assertThat(maxAbsDiff(a, b)).isLessThan(0.05);
                // a float16 checkpoint keeps float16 by default
                Map<String, NDArray> w16 = new LinkedHashMap<>();
                w.forEach((k, v) -> w16.put(k, v.toType(DataType.FLOAT16, false)));
                try (TransformerModel kept = TinyModels.create(spec, w16, LoadOptions.DtypeChoice.KEEP, null)) {
                    assertThat(kept.dtype()).isEqualTo("float16");
                    assertThat(kept.parameter(WeightLayout.up(0) + ".weight").getDataType()).isEqualTo(DataType.FLOAT16);
                    assertThat(maxAbsDiff(kept.forward(m, ids, Taps.none()), a)).isLessThan(0.05);
                }
            }
        }
    }

    @Test
    void bfloat16IsRefusedWithAClearMessageAndBfloat16CheckpointsKeepFloat16() {
        assertThatThrownBy(() -> new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.BFLOAT16).resolveType(DataType.FLOAT32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("float16");
        assertThat(LoadOptions.defaults().resolveType(DataType.BFLOAT16)).isEqualTo(DataType.FLOAT16);
        assertThat(LoadOptions.of("cpu", "float32").resolveType(DataType.BFLOAT16)).isEqualTo(DataType.FLOAT32);
        assertThatThrownBy(() -> LoadOptions.of("tpu", null)).hasMessageContaining("--device 'tpu'");
    }

    @Test
    void badInputsAreRejectedBeforeAnyWork() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(TinyModels.gpt2(), m, 7)) {
            assertThatThrownBy(() -> model.forward(m, new int[] {1, TinyModels.VOCAB}, Taps.none()))
                    .hasMessageContaining("outside the vocabulary");
            assertThatThrownBy(() -> model.forward(m, new int[65], Taps.none())).hasMessageContaining("64 positions");
            assertThatThrownBy(() -> model.forward(m, m.create(new int[] {1, 2}, new Shape(1, 2)), m.ones(new Shape(1, 3)), Taps.none()))
                    .hasMessageContaining("attention mask");
        }
    }

    @Test
    void forwardPassesLeaveNoArraysBehind() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(TinyModels.gptj(), m, 8)) {
            int before = model.managedArrays();
            for (int i = 0; i < 5; i++) {
                try (NDManager call = m.newSubManager()) {
                    model.forward(call, new int[] {1, 2, 3, 4}, Taps.create().record(Taps.residPost(1)));
                    model.generate(new int[] {1, 2}, GenerationConfig.greedy(4), null);
                    model.scoreContinuations("w1 w2", java.util.List.of(" w3", " w4 w5"));
                }
            }
            assertThat(model.managedArrays()).isEqualTo(before);
        }
    }
}
