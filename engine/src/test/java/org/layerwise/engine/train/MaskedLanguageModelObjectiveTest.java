package org.layerwise.engine.train;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.model.TransformerModel;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Masked language modelling on a tiny bidirectional model. */
class MaskedLanguageModelObjectiveTest {
    private static final int MASK = TinyTraining.VOCAB;          // one id past the corpus' tokens

    @Test
    void maskingIsSeededByTheBatchIndexAndLearnable() throws Exception {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyTraining.encoder(m)) {
            MaskedLanguageModelObjective mlm = new MaskedLanguageModelObjective(model, MASK, 0.25, 3);
            TokenDataset data = TokenDataset.ofSequences(TinyTraining.corpus(32), 16, 8, 3);
            assertThat(mlm.weight(data.batch(4))).isEqualTo(mlm.weight(data.batch(4))).isPositive();
            assertThat(mlm.weight(data.batch(0))).isGreaterThanOrEqualTo(8);   // at least one choice per row
            TrainingOptions opts = new TrainingOptions(150, 1, 1.0, new LearningRateSchedule(2e-2, 5, 150,
                    LearningRateSchedule.Decay.COSINE, 1e-3), 0, 0);
            try (Trainer<TokenBatch> t = new Trainer<>(model, mlm, AdamW.standard(m), opts, 3)) {
                Evaluation before = t.evaluate(data.evaluationBatches());
                t.run(data, List.of(), null, null);
                Evaluation after = t.evaluate(data.evaluationBatches());
                assertThat(after.loss()).isLessThan(0.6 * before.loss());     // 2.93 -> 1.44 here
            }
        }
    }

    @Test
    void refusesCausalModels() {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyTraining.model(m, 1)) {
            assertThatThrownBy(() -> new MaskedLanguageModelObjective(model, 0, 0.15, 1)).hasMessageContaining("bidirectional");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
