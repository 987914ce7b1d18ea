package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RandomWeights;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.model.TransformerSpec;
import org.layerwise.engine.tokenizer.HfTokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/** A tiny LLaMA-shaped model and corpus for trainer tests. */
final class TinyTraining {
    static final Path TOKENIZER_DIR = Path.of("src/test/resources/tokenizer/wordlevel");
    static final int VOCAB = 16;

    private TinyTraining() {}

    static TransformerSpec spec() {
        return TransformerSpec.builder().modelType("llama").vocabSize(VOCAB).dModel(16).layers(2)
                .heads(2).kvHeads(2).headDim(8).maxPositions(32)
                .rotary(TransformerSpec.RotaryStyle.HALF, 8, 10000).norm(TransformerSpec.NormKind.RMS, 1e-5)
                .mlp(TransformerSpec.MlpKind.GATED, TransformerSpec.Activation.SILU, 32, false).build();
    }

    static TransformerModel model(NDManager m, long seed) throws Exception {
        TransformerSpec spec = spec();
        Map<String, NDArray> w = RandomWeights.create(spec, m, seed, 0.1f);
        return TransformerModel.create(spec, w, HfTokenizer.load(TOKENIZER_DIR),
                new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32), null, TOKENIZER_DIR);
    }

    /** Counting sequences "a, a+1, a+2, …" (mod vocabulary) of varied lengths: easy to learn. */
    /** The same tiny model as a bidirectional encoder, with one id past the corpus' tokens to mask with. */
    static TransformerModel encoder(NDManager m) {
        TransformerSpec spec = spec().toBuilder().modelType("layerwise").vocabSize(VOCAB + 1)
                .mask(TransformerSpec.MaskKind.BIDIRECTIONAL).build();
        return TransformerModel.create(spec, RandomWeights.create(spec, m, 5, 0.1f), null,
                new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32), null, null);
    }

    static List<int[]> corpus(int count) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int len = 5 + i % 6;
            int[] s = new int[len];
            for (int k = 0; k < len; k++) s[k] = (i + k) % VOCAB;
            out.add(s);
        }
        return out;
    }

    static TrainingOptions options(long steps, int accumulation) {
        return new TrainingOptions(steps, accumulation, 1.0,
                new LearningRateSchedule(1e-2, 2, steps, LearningRateSchedule.Decay.COSINE, 1e-3), 0, 0);
    }

    /** A job context that records metrics and reports cancellation when {@code cancelAfter} says so. */
    static final class RecordingContext implements JobContext {
        final List<String> metrics = new ArrayList<>();
        final LongPredicate cancelAfter;
        long lastLossStep;

        RecordingContext(LongPredicate cancelAfter) { this.cancelAfter = cancelAfter; }

        @Override public void progress(double fraction, String message) {}
        @Override public void metric(String name, long step, double value) {
            metrics.add(name);
            if (name.equals("loss")) lastLossStep = step;
        }
        @Override public void log(String line) {}
        @Override public void trace(String kind, String json) {}
        @Override public Path artifact(String name, Path file) { return file; }
        @Override public boolean isCancelled() { return cancelAfter.test(lastLossStep); }
        @Override public long runId() { return -1; }
    }
}
