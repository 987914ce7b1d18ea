package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.layerwise.engine.io.AtomicFiles;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RandomWeights;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.model.TransformerSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training throughput of the engine's {@link Trainer} (forward + backward + clip + AdamW on a GPT-2-shaped model)
 * beside PyTorch eager on the same weights and batch ({@code tests/bench/torch_train_gpt2.py}), measured in the
 * same run. Prints a table; not a unit test.
 *
 * <pre>
 * mvn -B -o -q -pl engine test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Dai.djl.offline=true -cp engine/target/test-classes:engine/target/classes:$(cat engine/target/cp.txt) \
 *      org.layerwise.engine.train.TrainBenchmark [layers d_model heads vocab batch seq warmup steps]
 * </pre>
 */
public final class TrainBenchmark {
    private TrainBenchmark() {}

    public static void main(String[] args) throws Exception {
        int[] a = {4, 256, 4, 8192, 8, 128, 3, 10};
        for (int i = 0; i < Math.min(args.length, a.length); i++) a[i] = Integer.parseInt(args[i]);
        int layers = a[0], d = a[1], heads = a[2], vocab = a[3], batch = a[4], seq = a[5], warmup = a[6], steps = a[7];
        TransformerSpec spec = TransformerSpec.builder().modelType("gpt2").vocabSize(vocab).dModel(d).layers(layers).heads(heads)
                .kvHeads(heads).headDim(d / heads).maxPositions(seq).learnedPositions(true)
                .rotary(TransformerSpec.RotaryStyle.NONE, 0, 10000).norm(TransformerSpec.NormKind.LAYER, 1e-5)
                .qkvBias(true).outBias(true).mlp(TransformerSpec.MlpKind.DENSE, TransformerSpec.Activation.GELU_NEW, 4 * d, true)
                .tiedEmbeddings(true).build();
        Path dir = Files.createTempDirectory("layerwise-train-bench");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> weights = RandomWeights.create(spec, m, 1, 0.02f);
            try (TransformerModel model = TransformerModel.create(spec, weights, null,
                    new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32), null, null)) {
                model.save(dir.resolve("model"));           // the reference trains these exact weights
                TrainingRace.run(String.format(Locale.ROOT, "GPT-2-shaped model: %d layers, d %d, %d heads, vocab %d, %,d parameters; "
                                + "batch %d x %d tokens; AdamW + clip 1.0; %d warm-up + %d timed steps", layers, d, heads, vocab,
                                model.parameterCount(), batch, seq, warmup, steps),
                        model, dir.resolve("model"), batch, seq, vocab, warmup, steps, "tests/bench/torch_train_gpt2.py", List.of());
            }
        } finally {
            AtomicFiles.deleteTree(dir);
        }
    }
}
