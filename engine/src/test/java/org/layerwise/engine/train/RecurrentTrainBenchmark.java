package org.layerwise.engine.train;

import org.layerwise.engine.io.AtomicFiles;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RecurrentModel;
import org.layerwise.engine.model.RecurrentSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Training throughput of the engine's {@link Trainer} on a {@link RecurrentModel} (forward + backward + clip + AdamW
 * through PyTorch's fused LSTM/GRU kernels) beside PyTorch eager torch.nn.LSTM/GRU on the same weights and batch
 * ({@code tests/bench/torch_train_lstm.py}), measured in the same run with the same thread count. Prints a table;
 * not a unit test.
 *
 * <pre>
 * mvn -B -o -q -pl engine test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
 *      -cp engine/target/test-classes:engine/target/classes:$(cat engine/target/cp.txt) \
 *      org.layerwise.engine.train.RecurrentTrainBenchmark [cell layers hidden vocab batch seq warmup steps]
 * </pre>
 * The PyTorch reference runs with the thread count of {@code -Dai.djl.pytorch.num_threads} (all cores when unset).
 * Read the ratio with care: Debian's python3-torch links the generic reference BLAS (libblas3; here about 2.7 GFLOP/s
 * on one thread for a 1024×256×4096 matmul), while DJL's bundled libtorch uses MKL, so the gap is mostly BLAS.
 */
public final class RecurrentTrainBenchmark {
    private RecurrentTrainBenchmark() {}

    public static void main(String[] args) throws Exception {
        String cellWord = args.length > 0 ? args[0] : "lstm";
        int[] a = {2, 256, 4096, 8, 128, 3, 10};
        for (int i = 1; i < Math.min(args.length, a.length + 1); i++) a[i - 1] = Integer.parseInt(args[i]);
        int layers = a[0], hidden = a[1], vocab = a[2], batch = a[3], seq = a[4], warmup = a[5], steps = a[6];
        int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
        RecurrentSpec.Cell cell = RecurrentSpec.Cell.valueOf(cellWord.toUpperCase(Locale.ROOT));
        RecurrentSpec spec = new RecurrentSpec(cell, vocab, hidden, layers, seq, false, false, 1e-5, true, false);
        Path dir = Files.createTempDirectory("layerwise-rnn-bench");
        try (RecurrentModel model = RecurrentModel.create(spec, 1, 0.02, null,
                new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32), null)) {
            model.save(dir.resolve("model"));           // the reference trains these exact weights
            TrainingRace.run(String.format(Locale.ROOT, "%s language model: %s, %,d parameters; batch %d x %d tokens; AdamW + clip 1.0; "
                            + "%d warm-up + %d timed steps; %d thread(s)", cell.word(), spec.describe(), model.parameterCount(), batch, seq,
                            warmup, steps, threads),
                    model, dir.resolve("model"), batch, seq, vocab, warmup, steps, "tests/bench/torch_train_lstm.py", List.of(String.valueOf(threads)));
        } finally {
            AtomicFiles.deleteTree(dir);
        }
    }
}
