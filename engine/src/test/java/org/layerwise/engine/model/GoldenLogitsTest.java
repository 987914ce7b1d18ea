package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logits, hidden states and greedy generations against Hugging Face transformers (golden files made by
 * tests/golden/make_golden.py), for every family and naming variant, loaded from the Hugging Face folders
 * as saved. The reference ran in float32, so the models run in float32 here (f16/bf16 files hold rounded
 * weights).
 */
class GoldenLogitsTest {
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "gpt2-noprefix", "gpt2-f16", "gptj", "llama", "llama-gqa", "llama-tied",
            "llama-bf16-sharded", "mistral"})
    void matchesHuggingFace(String name) throws Exception {
        GoldenFolder folder = GoldenFolder.open(name);
        try (NDManager m = NDManager.newBaseManager();
             TransformerModel model = TransformerModel.load(folder.dir, LoadOptions.of("cpu", "float32"))) {
            TransformerSpec spec = model.spec();
            Map<String, NDArray> golden = folder.golden(m);
            {
                int[] ids = Arrays.stream(golden.get("input_ids").toLongArray()).mapToInt(x -> (int) x).toArray();
                Taps taps = Taps.create().record(Taps.residPre(0)).record(Taps.FINAL_NORM);
                for (int l = 0; l < spec.layers(); l++) taps.record(Taps.residPost(l));
                NDArray logits = model.forward(m, ids, taps);

                assertThat(logits.getDataType()).isEqualTo(DataType.FLOAT32);
                double tolerance = TOLERANCE; // the bf16 case's reference reloads the rounded weights in float32
                assertThat(maxAbsDiff(logits, golden.get("logits"))).as(name + " logits").isLessThanOrEqualTo(tolerance);
                assertThat(maxAbsDiff(taps.recorded(Taps.residPre(0)).squeeze(0), golden.get("hidden.0")))
                        .as("embeddings").isLessThanOrEqualTo(tolerance);
                for (int l = 0; l < spec.layers() - 1; l++)
                    assertThat(maxAbsDiff(taps.recorded(Taps.residPost(l)).squeeze(0), golden.get("hidden." + (l + 1))))
                            .as("block " + l).isLessThanOrEqualTo(tolerance);
                // Hugging Face's last hidden state has the final norm applied
                assertThat(maxAbsDiff(taps.recorded(Taps.FINAL_NORM).squeeze(0), golden.get("hidden." + spec.layers())))
                        .as("final norm").isLessThanOrEqualTo(tolerance);

                int[] expected = Arrays.stream(golden.get("generated").toLongArray()).mapToInt(x -> (int) x).toArray();
                int[] cached = model.generate(ids, GenerationConfig.greedy(expected.length), null).tokenIds();
                GenerationConfig noCache = new GenerationConfig(expected.length, 0, 0, 1, 0, java.util.List.of(), false);
                int[] recomputed = model.generate(ids, noCache, null).tokenIds();
                assertThat(cached).as("greedy with cache").containsExactly(prefixBeforeEos(expected, model.eosTokenIds()));
                assertThat(recomputed).as("greedy without cache").containsExactly(cached);
            }
        }
    }

    /** Hugging Face keeps generating pad tokens after EOS; the engine stops at EOS. */
    private static int[] prefixBeforeEos(int[] tokens, int[] eos) {
        for (int i = 0; i < tokens.length; i++)
            for (int e : eos) if (tokens[i] == e) return Arrays.copyOf(tokens, i);
        return tokens;
    }

    static double maxAbsDiff(NDArray a, NDArray b) {
        return a.toType(DataType.FLOAT32, false).sub(b.toType(DataType.FLOAT32, false)).abs().max().getFloat();
    }
}
