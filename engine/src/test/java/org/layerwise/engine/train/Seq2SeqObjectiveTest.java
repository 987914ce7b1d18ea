package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.model.EncoderDecoderModel;
import org.layerwise.engine.model.LoadOptions;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sequence-to-sequence loss is teacher-forced cross entropy of the target, padding left out. */
class Seq2SeqObjectiveTest {
    private static final Path T5 = Path.of("src/test/resources/seq2seq/t5");

    /** −Σ log p(target_i | source, start + target[:i]) for one unpadded example, from the model's logits. */
    private static double crossEntropy(EncoderDecoderModel model, NDManager m, int[] source, int[] target) {
        long[] src = new long[source.length], dec = new long[target.length];
        for (int i = 0; i < source.length; i++) src[i] = source[i];
        dec[0] = model.spec().decoderStartTokenId();
        for (int i = 1; i < target.length; i++) dec[i] = target[i - 1];
        float[] logits = model.forward(m, m.create(src, new Shape(1, src.length)), null, m.create(dec, new Shape(1, dec.length)), null)
                .toFloatArray();
        int v = model.spec().vocabSize();
        double sum = 0;
        for (int i = 0; i < target.length; i++) {
            double max = Double.NEGATIVE_INFINITY, z = 0;
            for (int k = 0; k < v; k++) max = Math.max(max, logits[i * v + k]);
            for (int k = 0; k < v; k++) z += Math.exp(logits[i * v + k] - max);
            sum -= logits[i * v + target[i]] - max - Math.log(z);
        }
        return sum;
    }

    @Test
    void isTheSummedCrossEntropyOfEachTargetGivenItsSource() throws Exception {
        try (NDManager m = NDManager.newBaseManager();
             EncoderDecoderModel model = EncoderDecoderModel.load(T5, LoadOptions.of("cpu", "float32"))) {
            TrainingExample a = new TrainingExample(new int[] {5, 9, 13, 2, 7}, null, -1, new int[] {7, 3, 18, 1});
            TrainingExample b = new TrainingExample(new int[] {4, 6}, null, -1, new int[] {11, 5});
            TokenBatch batch = TokenBatch.of(List.of(a, b), 0);
            Seq2SeqObjective objective = new Seq2SeqObjective(model);
            assertThat(objective.weight(batch)).isEqualTo(6);
            assertThat(objective.tokens(batch)).isEqualTo(13);
            NDArray loss = objective.lossSum(m, batch);
            double expected = crossEntropy(model, m, a.tokens(), a.target()) + crossEntropy(model, m, b.tokens(), b.target());
            assertThat((double) loss.getFloat()).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-3 * expected));
            assertThatThrownBy(() -> objective.lossSum(m, new TokenBatch(List.of(new int[] {3, 4}))))
                    .hasMessageContaining("no target tokens");
        }
    }
}
