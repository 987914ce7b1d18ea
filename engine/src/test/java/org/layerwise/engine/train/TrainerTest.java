package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The trainer end to end on a tiny LLaMA-shaped model. */
class TrainerTest {
    private static final long SEED = 7;

    @Test
    void accumulatingMicroBatchesEqualsOneBigBatch() throws Exception {
        List<int[]> rows = TinyTraining.corpus(4);          // lengths 5..8: padding differs between the splits
        try (NDManager m = NDManager.newBaseManager();
             TransformerModel big = TinyTraining.model(m, 3); TransformerModel split = TinyTraining.model(m, 3)) {
            TrainingOptions opts = new TrainingOptions(1, 1, 0, LearningRateSchedule.constant(0.5), 0, 0);
            try (Trainer<TokenBatch> a = new Trainer<>(big, new LanguageModelObjective(big), new Sgd(m, 0, 0), opts, SEED);
                 Trainer<TokenBatch> b = new Trainer<>(split, new LanguageModelObjective(split), new Sgd(m, 0, 0), opts, SEED)) {
                StepResult one = a.step(List.of(new TokenBatch(rows)));
                StepResult two = b.step(List.of(new TokenBatch(rows.subList(0, 1)), new TokenBatch(rows.subList(1, 4))));
                assertThat(two.loss()).isCloseTo(one.loss(), within(1e-5));
                assertThat(two.gradNorm()).isCloseTo(one.gradNorm(), within(1e-5 * one.gradNorm()));
                for (Map.Entry<String, NDArray> e : big.parameters().entrySet()) {
                    NDArray other = split.parameter(e.getKey());
                    double diff = e.getValue().sub(other).abs().max().getFloat();
                    assertThat(diff).as(e.getKey()).isLessThan(1e-5);
                }
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalLosses() throws Exception {
        assertThat(run(5, null)).isEqualTo(run(5, null));
    }

    @Test
    void lossDecreasesOnATinyCorpus() throws Exception {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyTraining.model(m, SEED)) {
            TokenDataset data = TokenDataset.ofSequences(TinyTraining.corpus(32), 16, 8, SEED);
            TokenDataset heldOut = TokenDataset.ofSequences(TinyTraining.corpus(40).subList(32, 40), 16, 8, SEED);
            try (Trainer<TokenBatch> t = new Trainer<>(model, new LanguageModelObjective(model), AdamW.standard(m),
                    TinyTraining.options(40, 1), SEED)) {
                Evaluation before = t.evaluate(heldOut.evaluationBatches());
                TrainingResult r = t.run(data, heldOut.evaluationBatches(), null, null);
                assertThat(r.completedSteps()).isEqualTo(40);
                assertThat(r.lastEvaluation().loss()).isLessThan(0.5 * before.loss());
                assertThat(r.lastEvaluation().perplexity()).isCloseTo(Math.exp(r.lastEvaluation().loss()), within(1e-9));
                double head = r.losses().subList(0, 3).stream().mapToDouble(d -> d).average().orElseThrow();
                double tail = r.losses().subList(37, 40).stream().mapToDouble(d -> d).average().orElseThrow();
                assertThat(tail).isLessThan(0.5 * head);
            }
        }
    }

    @Test
    void resumingFromACheckpointContinuesWithIdenticalLosses(@TempDir Path dir) throws Exception {
        List<Double> straight = run(6, null);
        Path ckpt = dir.resolve("ckpt");
        List<Double> firstHalf;
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyTraining.model(m, SEED);
             Trainer<TokenBatch> t = trainer(model, m, 6)) {
            TinyTraining.RecordingContext ctx = new TinyTraining.RecordingContext(step -> step >= 3);
            assertThatThrownBy(() -> t.run(data(), List.of(), ckpt, ctx)).isInstanceOf(JobCancelledException.class);
            firstHalf = t.losses();
            t.saveCheckpoint(ckpt);
        }
        assertThat(TrainingCheckpoint.readState(ckpt).step()).isEqualTo(3);
        try (NDManager m = NDManager.newBaseManager();
             TransformerModel model = TrainingCheckpoint.loadModel(ckpt, LoadOptions.DeviceChoice.CPU);
             Trainer<TokenBatch> t = trainer(model, m, 6)) {
            t.resume(ckpt);
            TrainingResult rest = t.run(data(), List.of(), null, null);
            assertThat(firstHalf).containsExactlyElementsOf(straight.subList(0, 3));
            assertThat(rest.losses()).hasSize(3);
            for (int i = 0; i < 3; i++) assertThat(rest.losses().get(i)).isCloseTo(straight.get(3 + i), within(1e-6));
        }
    }

    @Test
    void cancellingKeepsTheLastCheckpointLoadable(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("ckpt");
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyTraining.model(m, SEED)) {
            TrainingOptions opts = new TrainingOptions(10, 2, 1.0, LearningRateSchedule.constant(1e-2), 0, 2);
            try (Trainer<TokenBatch> t = new Trainer<>(model, new LanguageModelObjective(model), AdamW.standard(m), opts, SEED)) {
                TinyTraining.RecordingContext ctx = new TinyTraining.RecordingContext(step -> step >= 5);
                assertThatThrownBy(() -> t.run(data(), List.of(), ckpt, ctx)).isInstanceOf(JobCancelledException.class);
                assertThat(ctx.metrics).contains("loss", "lr", "grad_norm", "tokens_per_s");
                assertThat(t.completedSteps()).isEqualTo(5);
            }
        }
        TrainingCheckpoint.State state = TrainingCheckpoint.readState(ckpt);
        assertThat(state.step()).isEqualTo(4);
        assertThat(state.optimizer()).isEqualTo("adamw");
        try (TransformerModel reloaded = TrainingCheckpoint.loadModel(ckpt, LoadOptions.DeviceChoice.CPU)) {
            assertThat(reloaded.spec()).isEqualTo(TinyTraining.spec());
        }
    }

    @Test
    void refusesNonFloat32Models() throws Exception {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyTraining.model(m, SEED)) {
            Path tmp = java.nio.file.Files.createTempDirectory("f16");
            model.save(tmp.resolve("m"));
            try (TransformerModel half = TransformerModel.load(tmp.resolve("m"),
                    new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT16))) {
                assertThatThrownBy(() -> new Trainer<>(half, new LanguageModelObjective(half), AdamW.standard(m),
                        TinyTraining.options(1, 1), SEED)).hasMessageContaining("float32");
            }
        }
    }

    private static TokenDataset data() {
        return TokenDataset.ofSequences(TinyTraining.corpus(24), 16, 4, SEED);
    }

    private static Trainer<TokenBatch> trainer(TransformerModel model, NDManager m, long steps) {
        return new Trainer<>(model, new LanguageModelObjective(model), AdamW.standard(m), TinyTraining.options(steps, 2), SEED);
    }

    private static List<Double> run(long steps, Path ckpt) throws Exception {
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyTraining.model(m, SEED);
             Trainer<TokenBatch> t = trainer(model, m, steps)) {
            return t.run(data(), List.of(), ckpt, null).losses();
        }
    }
}
