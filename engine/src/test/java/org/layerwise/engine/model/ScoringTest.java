package org.layerwise.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Continuation log-probabilities and next-token distributions against plain forward passes. */
class ScoringTest {

    @Test
    void continuationLogProbsSumTheContinuationTokens() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(TinyModels.llama(4, 2), m, 31)) {
            List<ContinuationScore> scores = model.scoreContinuations("w1 w2 w3", List.of(" w4 w5", " w6", " w7 w8 w9"));
            assertThat(scores).extracting(ContinuationScore::tokens).containsExactly(2, 1, 3);
            assertThat(scores.get(0).logProb()).isCloseTo(manual(model, m, new int[] {1, 2, 3, 4, 5}, 3), within(1e-4));
            assertThat(scores.get(1).logProb()).isCloseTo(manual(model, m, new int[] {1, 2, 3, 6}, 3), within(1e-4));
            assertThat(scores.get(2).logProb()).isCloseTo(manual(model, m, new int[] {1, 2, 3, 7, 8, 9}, 3), within(1e-4));
            assertThat(scores.get(2).meanLogProb()).isCloseTo(scores.get(2).logProb() / 3, within(1e-12));
            assertThat(model.continuationLogProbs("w1 w2 w3", List.of(" w6"))[0]).isCloseTo(scores.get(1).logProb(), within(1e-6));
            // more than one batch of 8
            List<String> many = java.util.stream.IntStream.range(10, 30).mapToObj(i -> " w" + i).toList();
            List<ContinuationScore> manyScores = model.scoreContinuations("w1 w2 w3", many);
            assertThat(manyScores).hasSize(20);
            assertThat(manyScores.get(17).logProb()).isCloseTo(manual(model, m, new int[] {1, 2, 3, 27}, 3), within(1e-4));
        }
    }

    /** Sum of log P(ids[i] | ids[..i]) for i ≥ from, from one unpadded forward pass. */
    private static double manual(TransformerModel model, NDManager m, int[] ids, int from) {
        NDArray logp = model.forward(m, ids, Taps.none()).logSoftmax(1);
        double sum = 0;
        for (int i = from; i < ids.length; i++) sum += logp.getFloat(i - 1, ids[i]);
        return sum;
    }

    @Test
    void nextTokensAreTheMostLikelyInOrder() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyModels.create(TinyModels.gptj(), m, 32)) {
            var next = model.nextTokens("w5 w6 w7", 5);
            NDArray probs = model.forward(m, new int[] {5, 6, 7}, Taps.none()).get(2).softmax(0);
            long best = probs.argMax().getLong();
            assertThat(next).hasSize(5);
            assertThat(next.get(0).id()).isEqualTo((int) best);
            assertThat(next.get(0).token()).isEqualTo("w" + best);
            assertThat(next.get(0).probability()).isCloseTo(probs.getFloat(best), within(1e-6));
            for (int i = 1; i < 5; i++) assertThat(next.get(i).probability()).isLessThanOrEqualTo(next.get(i - 1).probability());
        }
    }
}
