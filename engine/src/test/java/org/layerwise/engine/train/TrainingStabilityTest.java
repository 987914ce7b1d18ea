package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RandomWeights;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.model.TransformerSpec;
import org.layerwise.engine.tokenizer.HfTokenizer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The intermittent NaN: DJL's {@code NDArray.div(Number)} / {@code mul(Number)} put the number in a Java
 * direct buffer that PyTorch's backward node still reads after the garbage collector freed it. Here a
 * collection (and reuse of the freed memory) is forced between every forward and backward pass: the
 * losses and weights must not change.
 */
class TrainingStabilityTest {
    private static final long SEED = 11;

    @Test
    void garbageCollectionBetweenForwardAndBackwardChangesNothingLlama() throws Exception {
        assertGcChangesNothing(TinyTraining.spec());
    }

    @Test
    void garbageCollectionBetweenForwardAndBackwardChangesNothingGpt2() throws Exception {
        // gelu_new's constants, LayerNorm, learned positions, tied embeddings
        assertGcChangesNothing(TransformerSpec.builder().modelType("gpt2").vocabSize(TinyTraining.VOCAB).dModel(16)
                .layers(2).heads(2).maxPositions(32).learnedPositions(true).rotary(TransformerSpec.RotaryStyle.NONE, 0, 0)
                .norm(TransformerSpec.NormKind.LAYER, 1e-5).qkvBias(true).outBias(true)
                .mlp(TransformerSpec.MlpKind.DENSE, TransformerSpec.Activation.GELU_NEW, 32, true)
                .tiedEmbeddings(true).build());
    }

    @Test
    void aNonFiniteGradientStopsTrainingBeforeTheUpdateAndKeepsTheLastCheckpoint(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("ckpt");
        try (NDManager m = NDManager.newBaseManager(); TransformerModel model = TinyTraining.model(m, SEED)) {
            TrainingOptions opts = new TrainingOptions(6, 1, 1.0, LearningRateSchedule.constant(1e-2), 0, 1);
            TrainingObjective<TokenBatch> poisoned = new Poisoned(new LanguageModelObjective(model), 2);  // batch 2 = step 3
            try (Trainer<TokenBatch> t = new Trainer<>(model, poisoned, AdamW.standard(m), opts, SEED)) {
                assertThatThrownBy(() -> t.run(data(), List.of(), ckpt, null))
                        .isInstanceOfSatisfying(TrainingDivergedException.class, e -> {
                            assertThat(e.step()).isEqualTo(3);
                            assertThat(model.parameters()).containsKey(e.tensor());
                            assertThat(e.getMessage()).contains("step 3", "the gradient of " + e.tensor(), "NaN",
                                    "last checkpoint (step 2, " + ckpt + ") is unchanged");
                        });
                assertThat(t.completedSteps()).isEqualTo(2);
                for (Map.Entry<String, NDArray> p : model.parameters().entrySet())
                    assertThat(p.getValue().isNaN().any().getBoolean()).as(p.getKey()).isFalse();
            }
        }
        assertThat(TrainingCheckpoint.readState(ckpt).step()).isEqualTo(2);
    }

    private static void assertGcChangesNothing(TransformerSpec spec) throws Exception {
        List<Double> calm = new ArrayList<>(), stormy = new ArrayList<>();
        Map<String, float[]> calmWeights = train(spec, false, calm);
        Map<String, float[]> stormyWeights = train(spec, true, stormy);
        assertThat(calm).allMatch(Double::isFinite);
        assertThat(stormy).containsExactlyElementsOf(calm);
        for (Map.Entry<String, float[]> e : calmWeights.entrySet())
            assertThat(stormyWeights.get(e.getKey())).as(e.getKey()).containsExactly(e.getValue());
    }

    private static Map<String, float[]> train(TransformerSpec spec, boolean collectBeforeBackward, List<Double> losses) throws Exception {
        try (NDManager m = NDManager.newBaseManager();
             TransformerModel model = TransformerModel.create(spec, RandomWeights.create(spec, m, SEED, 0.1f),
                     HfTokenizer.load(TinyTraining.TOKENIZER_DIR),
                     new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32), null, TinyTraining.TOKENIZER_DIR);
             Trainer<TokenBatch> t = new Trainer<>(model, new LanguageModelObjective(model), AdamW.standard(m),
                     TinyTraining.options(3, 2), SEED)) {
            if (collectBeforeBackward) t.beforeBackward(TrainingStabilityTest::freeAndReuseJavaBuffers);
            losses.addAll(t.run(data(), List.of(), null, null).losses());
            Map<String, float[]> weights = new java.util.TreeMap<>();
            model.parameters().forEach((k, v) -> weights.put(k, v.toFloatArray()));
            return weights;
        }
    }

    /** Lets the collector free unreachable direct buffers, then fills the freed small blocks with NaN bits. */
    private static void freeAndReuseJavaBuffers() {
        System.gc();
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ByteBuffer> reuse = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 * (1 + i % 2));
            while (b.remaining() >= 4) b.putInt(0x7fc00000);
            reuse.add(b);
        }
        reuse.clear();
    }

    private static TokenDataset data() {
        return TokenDataset.ofSequences(TinyTraining.corpus(24), 16, 4, SEED);
    }

    /** Multiplies one batch's loss by NaN. */
    private record Poisoned(TrainingObjective<TokenBatch> inner, long badBatch) implements TrainingObjective<TokenBatch> {
        @Override
        public NDArray lossSum(NDManager scope, TokenBatch batch) {
            NDArray loss = inner.lossSum(scope, batch);
            if (batch.index() != badBatch) return loss;
            return loss.mul(scope.full(new Shape(), Float.NaN));
        }

        @Override public long weight(TokenBatch batch) { return inner.weight(batch); }

        @Override public long tokens(TokenBatch batch) { return inner.tokens(batch); }
    }
}
