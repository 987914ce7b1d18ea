package org.layerwise.engine.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.checkpoint.SafetensorsWriter;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.TokenModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The sentence-level targets (cls, sp), their heads, and several targets trained at once. */
class SentenceTargetsTest {
    /** A model whose hidden state of token i is the unit vector e_i, so pooled states and losses can be worked out by hand. */
    private static final class OneHotModel implements TokenModel {
        final NDManager m = NDManager.newBaseManager();
        final NDArray embedding = m.eye(3);
        @Override public String name() { return "one-hot"; }
        @Override public Map<String, NDArray> parameters() { return Map.of("embedding", embedding); }
        @Override public DataType dataType() { return DataType.FLOAT32; }
        @Override public Device djlDevice() { return Device.cpu(); }
        @Override public void save(Path dir) { throw new UnsupportedOperationException(); }
        @Override public void close() { m.close(); }
        @Override public boolean bidirectional() { return true; }
        @Override public int vocabSize() { return 3; }
        @Override public int width() { return 3; }
        @Override public int maxPositions() { return 8; }
        @Override public NDArray hidden(NDManager scope, NDArray ids, NDArray mask, NDArray segments) {
            return ids.oneHot(3).toType(DataType.FLOAT32, false).matMul(embedding);
        }
        @Override public NDArray logits(NDManager scope, NDArray hidden) { return hidden.matMul(embedding.transpose()); }
    }

    private static double ce(double[] logits, int label) {
        double z = 0;
        for (double l : logits) z += Math.exp(l);
        return Math.log(z) - logits[label];
    }

    @Test
    void classificationLossMatchesTheHandDerivedCrossEntropy() {
        try (OneHotModel model = new OneHotModel(); NDManager m = NDManager.newBaseManager()) {
            // dense = identity, no bias; output picks the first two coordinates, bias (0, 0.5)
            SentenceHead head = new SentenceHead("cls", m.eye(3), m.zeros(new Shape(3)),
                    m.create(new float[] {1, 0, 0, 0, 1, 0}, new Shape(2, 3)), m.create(new float[] {0, 0.5f}));
            TokenBatch batch = new TokenBatch(List.of(new int[] {0, 2}, new int[] {1, 2, 2}), 0, null, new int[] {0, 0}, null);
            double t = Math.tanh(1);
            // first: e0 → logits (t, .5); e1 → (0, t + .5)
            double first = ce(new double[] {t, .5}, 0) + ce(new double[] {0, t + .5}, 0);
            // last: e2 in both rows → (0, .5)
            double last = 2 * ce(new double[] {0, .5}, 0);
            // mean: (e0 + e2)/2 → (tanh .5, .5); (e1 + 2 e2)/3 → (0, tanh(1/3) + .5)
            double mean = ce(new double[] {Math.tanh(.5), .5}, 0) + ce(new double[] {0, Math.tanh(1 / 3.0) + .5}, 0);
            Map<Pooling, Double> expected = Map.of(Pooling.FIRST, first, Pooling.LAST, last, Pooling.MEAN, mean);
            for (Map.Entry<Pooling, Double> e : expected.entrySet()) {
                try (NDManager scope = m.newSubManager(); GradMode off = GradMode.off()) {
                    SentenceClassificationObjective cls = new SentenceClassificationObjective(model, head, e.getKey());
                    assertThat(cls.lossSum(scope, batch).getFloat()).as(e.getKey().name()).isCloseTo((float) (double) e.getValue(), within(1e-5f));
                    assertThat(cls.weight(batch)).isEqualTo(2);
                    // first pooling: row 1 predicts 0 (t > .5), row 2 predicts 1 → half right
                    if (e.getKey() == Pooling.FIRST) assertThat(cls.drainMeasures()).containsEntry("acc_cls", 0.5);
                }
            }
            assertThat(Pooling.of("auto", model)).isEqualTo(Pooling.FIRST);
            assertThat(Pooling.of("auto", model, false)).as("no [CLS]: the mean, not the first word").isEqualTo(Pooling.MEAN);
            TokenBatch bad = new TokenBatch(List.of(new int[] {0, 2}), 0, null, new int[] {2}, null);
            try (NDManager scope = m.newSubManager(); GradMode off = GradMode.off()) {
                assertThatThrownBy(() -> new SentenceClassificationObjective(model, head, Pooling.FIRST).lossSum(scope, bad))
                        .hasMessageContaining("label 2, outside its 2 classes");
            }
        }
    }

    /** Pairs of counting runs; label 1 when the second run continues the first, 0 when it starts elsewhere. */
    private static List<TrainingExample> pairs(int count) {
        SplittableRandom random = new SplittableRandom(7);
        List<TrainingExample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int a = random.nextInt(TinyTraining.VOCAB), label = i % 2;
            int b = label == 1 ? a + 4 : a + 8 + random.nextInt(4);
            int[] tokens = new int[8], segments = new int[8];
            for (int k = 0; k < 4; k++) {
                tokens[k] = (a + k) % TinyTraining.VOCAB;
                tokens[4 + k] = (b + k) % TinyTraining.VOCAB;
                segments[k] = 1;
                segments[4 + k] = 2;
            }
            out.add(new TrainingExample(tokens, segments, label, null));
        }
        return out;
    }

    private static final class Metrics implements JobContext {
        final Map<String, Map<Long, Double>> values = new LinkedHashMap<>();
        @Override public void progress(double fraction, String message) {}
        @Override public void metric(String name, long step, double value) { values.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(step, value); }
        @Override public void log(String line) {}
        @Override public void trace(String kind, String json) {}
        @Override public Path artifact(String name, Path file) { return file; }
        @Override public boolean isCancelled() { return false; }
        @Override public long runId() { return -1; }
    }

    @Test
    void severalTargetsReportTheirOwnLossesWhichSumToTheLoss() throws Exception {
        try (NDManager m = NDManager.newBaseManager();
             WithTargetHeads model = WithTargetHeads.create(TinyTraining.encoder(m), Map.of("sp", 2), 3, 0.1)) {
            MultiTargetObjective both = new MultiTargetObjective(model, List.of(
                    new MaskedLanguageModelObjective(model, TinyTraining.VOCAB, 0.2, 3),
                    new SentencePredictionObjective(model, model.head("sp"), Pooling.FIRST)));
            assertThat(both.targets()).containsExactly("mlm", "sp");
            TokenDataset data = TokenDataset.ofExamples(pairs(48), 16, 8, 3);
            assertThat(data.batch(0).segments()).isNotNull();
            assertThat(data.batch(0).labels()).hasSize(8);
            TrainingOptions opts = new TrainingOptions(40, 1, 1.0, new LearningRateSchedule(1e-2, 4, 40,
                    LearningRateSchedule.Decay.COSINE, 1e-3), 20, 0);
            Metrics ctx = new Metrics();
            try (Trainer<TokenBatch> t = new Trainer<>(model, both, AdamW.standard(m), opts, 3)) {
                t.run(data, data.evaluationBatches().subList(0, 2), null, ctx);
            }
            assertThat(ctx.values).containsKeys("loss_mlm", "loss_sp", "acc_sp", "eval_loss_mlm", "eval_loss_sp", "eval_acc_sp");
            for (long step = 1; step <= 40; step++)        // weight 1 per micro-batch: the loss is Σ of the targets' means
                assertThat(ctx.values.get("loss").get(step))
                        .isCloseTo(ctx.values.get("loss_mlm").get(step) + ctx.values.get("loss_sp").get(step), within(1e-4));
            assertThat(ctx.values.get("eval_loss").get(40L))
                    .isCloseTo(ctx.values.get("eval_loss_mlm").get(40L) + ctx.values.get("eval_loss_sp").get(40L), within(1e-4));
            double spStart = avg(ctx.values.get("loss_sp"), 1, 5), spEnd = avg(ctx.values.get("loss_sp"), 36, 40);
            double mlmStart = avg(ctx.values.get("loss_mlm"), 1, 5), mlmEnd = avg(ctx.values.get("loss_mlm"), 36, 40);
            assertThat(spEnd).as("sp loss").isLessThan(spStart);
            assertThat(mlmEnd).as("mlm loss").isLessThan(mlmStart);
            assertThat(model.parameters()).containsKeys("target.sp.dense.weight", "target.sp.output.bias");
            assertThat(model.headParameterCount()).isEqualTo(16 * 16 + 16 + 2 * 16 + 2);
        }
    }

    @Test
    void aLoneMlmTargetIsTheMaskedLanguageModelLossPerMaskedToken() {
        try (NDManager m = NDManager.newBaseManager();
             WithTargetHeads model = WithTargetHeads.create(TinyTraining.encoder(m), Map.of("sp", 2), 3, 0.1);
             NDManager scope = m.newSubManager(); GradMode off = GradMode.off()) {
            MaskedLanguageModelObjective mlm = new MaskedLanguageModelObjective(model, TinyTraining.VOCAB, 0.2, 3);
            MultiTargetObjective alone = new MultiTargetObjective(model, List.of(mlm));
            TokenBatch batch = TokenDataset.ofExamples(pairs(16), 16, 8, 3).batch(2);
            float expected = mlm.lossSum(scope, batch).getFloat() / mlm.weight(batch);   // the same masking, drawn from the batch index
            assertThat(alone.lossSum(scope, batch).getFloat()).isCloseTo(expected, within(1e-5f));
            assertThat(alone.drainMeasures()).containsOnlyKeys("loss_mlm");
        }
    }

    private static double avg(Map<Long, Double> series, long from, long to) {
        double s = 0;
        for (long i = from; i <= to; i++) s += series.get(i);
        return s / (to - from + 1);
    }

    @Test
    void headsWithAMissingTensorAreRefusedByName(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> heads = new LinkedHashMap<>();
            String[] names = SentenceHead.names("cls");
            heads.put(names[0], m.zeros(new Shape(3, 3)));
            heads.put(names[1], m.zeros(new Shape(3)));
            heads.put(names[2], m.zeros(new Shape(4, 3)));
            SafetensorsWriter.write(dir.resolve(WithTargetHeads.FILE), heads, Map.of("classes", "cls:4"));
            assertThatThrownBy(() -> WithTargetHeads.load(new OneHotModel(), dir))
                    .hasMessageContaining("has no tensor target.cls.output.bias");
            heads.put(names[3], m.zeros(new Shape(4)));
            heads.put(names[2], m.zeros(new Shape(4, 2)));
            SafetensorsWriter.write(dir.resolve(WithTargetHeads.FILE), heads, Map.of("classes", "cls:4"));
            assertThatThrownBy(() -> WithTargetHeads.load(new OneHotModel(), dir))
                    .hasMessageContaining("target.cls.output.weight has shape [4, 2], expected [4, 3]");
            heads.put(names[2], m.zeros(new Shape(4, 3)));
            SafetensorsWriter.write(dir.resolve(WithTargetHeads.FILE), heads, Map.of("classes", "cls:4"));
            try (WithTargetHeads ok = WithTargetHeads.load(new OneHotModel(), dir)) {
                assertThat(ok.head("cls").classes()).isEqualTo(4);
                assertThatThrownBy(() -> ok.head("sp")).hasMessageContaining("no sp head");
            }
        }
    }
}
