package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Generation with and without the key/value cache, sampling, stop strings, EOS and streaming. */
class GenerationTest {
    private static final int[] PROMPT = {4, 8, 15, 16, 23};

    private static GenerationConfig config(int max, double temperature, int topK, double topP, long seed, List<String> stops, boolean cache) {
        return new GenerationConfig(max, temperature, topK, topP, seed, stops, cache);
    }

    @Test
    void greedyWithCacheEqualsGreedyWithout() {
        for (TransformerSpec spec : new TransformerSpec[] {TinyModels.llama(4, 2), TinyModels.gpt2(), TinyModels.gptj()}) {
            try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(spec, m, 21)) {
                Generation cached = model.generate(PROMPT, config(20, 0, 0, 1, 0, List.of(), true), null);
                Generation full = model.generate(PROMPT, config(20, 0, 0, 1, 0, List.of(), false), null);
                assertThat(cached.tokenIds()).as(spec.modelType()).hasSize(20).containsExactly(full.tokenIds());
                assertThat(cached.finishReason()).isEqualTo("length");
                assertThat(cached.promptTokens()).isEqualTo(PROMPT.length);
                // greedy means: each token is the argmax of a plain forward pass over everything before it
                int[] seq = Arrays.copyOf(PROMPT, PROMPT.length + 3);
                for (int i = 0; i < 3; i++) {
                    NDArray logits = model.forward(m, Arrays.copyOf(seq, PROMPT.length + i), Taps.none());
                    seq[PROMPT.length + i] = (int) logits.get(PROMPT.length + i - 1).argMax().getLong();
                }
                assertThat(Arrays.copyOf(cached.tokenIds(), 3)).containsExactly(Arrays.copyOfRange(seq, PROMPT.length, seq.length));
            }
        }
    }

    @Test
    void seededSamplingIsReproducibleAndFiltersWork() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(TinyModels.llama(4, 2), m, 22)) {
            Generation a = model.generate(PROMPT, config(30, 1.0, 0, 1, 42, List.of(), true), null);
            Generation b = model.generate(PROMPT, config(30, 1.0, 0, 1, 42, List.of(), false), null);
            Generation c = model.generate(PROMPT, config(30, 1.0, 0, 1, 43, List.of(), true), null);
            assertThat(a.tokenIds()).containsExactly(b.tokenIds());
            assertThat(a.tokenIds()).isNotEqualTo(c.tokenIds());
            int[] greedy = model.generate(PROMPT, GenerationConfig.greedy(10), null).tokenIds();
            assertThat(model.generate(PROMPT, config(10, 1.5, 1, 1, 7, List.of(), true), null).tokenIds())
                    .as("top-k 1 is greedy").containsExactly(greedy);
            assertThat(model.generate(PROMPT, config(10, 1.5, 0, 1e-6, 7, List.of(), true), null).tokenIds())
                    .as("tiny top-p is greedy").containsExactly(greedy);
            // top-k 3: every sampled token is among the 3 most likely at its step
            int[] sampled = model.generate(PROMPT, config(8, 2.0, 3, 1, 9, List.of(), true), null).tokenIds();
            int[] seq = Arrays.copyOf(PROMPT, PROMPT.length + sampled.length);
            System.arraycopy(sampled, 0, seq, PROMPT.length, sampled.length);
            NDArray logits = model.forward(m, seq, Taps.none());
            for (int i = 0; i < sampled.length; i++) {
                long[] top3 = logits.get(PROMPT.length - 1 + i).argSort(0, false).get(":3").toLongArray();
                assertThat(top3).contains((long) sampled[i]);
            }
        }
    }

    @Test
    void stopsAtStopStringsAndEosAndStreamsTheText() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TransformerSpec spec = TinyModels.gpt2();
            var weights = RandomWeights.create(spec, m, 23, 0.3f);
            int[] greedy;
            try (TransformerModel model = TinyModels.create(spec, weights, LoadOptions.DtypeChoice.FLOAT32, null)) {
                greedy = model.generate(PROMPT, GenerationConfig.greedy(6), null).tokenIds();
                String stop = "w" + greedy[3];
                int firstAt = 0;
                while (greedy[firstAt] != greedy[3]) firstAt++;
                StringBuilder streamed = new StringBuilder();
                Generation g = model.generate(PROMPT, config(6, 0, 0, 1, 0, List.of(stop), true), streamed::append);
                assertThat(g.finishReason()).isEqualTo("stop");
                assertThat(g.text()).doesNotContain(stop).isEqualTo(model.tokenizer().decode(Arrays.copyOf(greedy, firstAt)) + (firstAt > 0 ? " " : ""));
                assertThat(streamed.toString()).isEqualTo(g.text());
            }
            var config = new ObjectMapper().createObjectNode().put("eos_token_id", greedy[2]);
            try (TransformerModel model = TinyModels.create(spec, weights, LoadOptions.DtypeChoice.FLOAT32, config)) {
                assertThat(model.eosTokenIds()).containsExactly(greedy[2]);
                Generation g = model.generate(PROMPT, GenerationConfig.greedy(6), null);
                int firstEos = 0;
                while (greedy[firstEos] != greedy[2]) firstEos++;
                assertThat(g.finishReason()).isEqualTo("eos");
                assertThat(g.tokenIds()).containsExactly(Arrays.copyOf(greedy, firstEos));
            }
        }
    }

    @Test
    void stopsAtTheLastPosition() {
        TransformerSpec spec = TinyModels.llama(4, 2).toBuilder().maxPositions(8).build();
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(spec, m, 24)) {
            Generation g = model.generate(PROMPT, GenerationConfig.greedy(10), null);
            assertThat(g.tokenIds()).hasSize(4);   // 5 + 3 = 8 positions; the 4th token is predicted from position 8
            assertThat(g.finishReason()).isEqualTo("length");
        }
    }
}
