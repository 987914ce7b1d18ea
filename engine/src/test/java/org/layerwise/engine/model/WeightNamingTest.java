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

/** Stored names per family ↔ the engine's layout. */
class WeightNamingTest {

    @Test
    void gpt2NamesWithAndWithoutPrefixGiveTheSameModel() {
        TransformerSpec spec = TinyModels.gpt2();
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> prefixed = RandomWeights.create(spec, m, 41, 0.3f);
            assertThat(prefixed).containsKeys("transformer.wte.weight", "transformer.h.1.attn.c_attn.weight", "transformer.ln_f.bias")
                    .doesNotContainKey("lm_head.weight");
            assertThat(prefixed.get("transformer.h.0.mlp.c_fc.weight").getShape()).as("Conv1D [in, out]").isEqualTo(new Shape(32, 64));
            Map<String, NDArray> bare = new LinkedHashMap<>();
            prefixed.forEach((k, v) -> bare.put(k.substring("transformer.".length()), v));
            bare.put("h.0.attn.bias", m.ones(new Shape(1, 1, 64, 64), DataType.BOOLEAN));   // a buffer: ignored
            try (TransformerModel a = TinyModels.create(spec, prefixed, LoadOptions.DtypeChoice.FLOAT32, null);
                 TransformerModel b = TinyModels.create(spec, bare, LoadOptions.DtypeChoice.FLOAT32, null)) {
                int[] ids = {1, 2, 3};
                assertThat(maxAbsDiff(a.forward(m, ids, Taps.none()), b.forward(m, ids, Taps.none()))).isZero();
                // layout: Conv1D transposed to [out, in]
                assertThat(maxAbsDiff(a.parameter(WeightLayout.up(0) + ".weight"), prefixed.get("transformer.h.0.mlp.c_fc.weight").transpose())).isZero();
            }
        }
    }

    @Test
    void writingAndReadingBackIsIdentityForEveryFamily() {
        for (TransformerSpec spec : new TransformerSpec[] {TinyModels.gpt2(), TinyModels.gptj(), TinyModels.llama(4, 2),
                TinyModels.gpt2().toBuilder().modelType("layerwise").mlp(TransformerSpec.MlpKind.GATED, TransformerSpec.Activation.RELU, 40, true).build()}) {
            try (NDManager m = NDManager.newBaseManager()) {
                Map<String, NDArray> stored = RandomWeights.create(spec, m, 42, 0.3f);
                assertThat(stored.keySet()).as(spec.modelType()).containsExactlyElementsOf(WeightNaming.of(spec, null).storedShapes().keySet());
                try (TransformerModel model = TinyModels.create(spec, stored, LoadOptions.DtypeChoice.FLOAT32, null)) {
                    Map<String, NDArray> again = WeightNaming.of(spec, null).write(model.parameters(), m, DataType.FLOAT32);
                    assertThat(again.keySet()).containsExactlyElementsOf(stored.keySet());
                    for (String k : stored.keySet()) assertThat(maxAbsDiff(again.get(k), stored.get(k))).as(k).isZero();
                }
            }
        }
    }

    @Test
    void missingAndMisshapenTensorsAreNamedWithShapes() {
        TransformerSpec spec = TinyModels.llama(4, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> w = RandomWeights.create(spec, m, 43, 0.3f);
            w.remove("model.layers.1.mlp.up_proj.weight");
            w.put("model.layers.0.self_attn.k_proj.weight", m.zeros(new Shape(32, 32)));
            assertThatThrownBy(() -> TinyModels.create(spec, w, LoadOptions.DtypeChoice.FLOAT32, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("missing tensor model.layers.1.mlp.up_proj.weight (48, 32)")
                    .hasMessageContaining("model.layers.0.self_attn.k_proj.weight has shape (32, 32), the spec needs (16, 32)");
        }
    }

    @Test
    void parametersCanBeReplacedInPlace() {
        TransformerSpec spec = TinyModels.llama(4, 2);
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(spec, m, 44)) {
            int[] ids = {5, 6, 7};
            String down = WeightLayout.down(0) + ".weight";
            NDArray zeroMlp = model.forward(m, ids, Taps.create().replace(Taps.mlpOut(0), m.zeros(new Shape(32))));
            model.setParameter(down, m.zeros(new Shape(32, 48)));
            assertThat(maxAbsDiff(model.forward(m, ids, Taps.none()), zeroMlp)).isLessThan(1e-6);
            assertThatThrownBy(() -> model.setParameter(down, m.zeros(new Shape(48, 32)))).hasMessageContaining("(32, 48)");
            assertThatThrownBy(() -> model.parameter("blocks.0.mlp.fc.weight")).hasMessageContaining("WeightLayout");
        }
    }
}
