package org.layerwise.engine.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.layerwise.engine.io.AtomicFiles;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RecurrentModel;
import org.layerwise.engine.model.RecurrentSpec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        String python = System.getProperty("python", "/usr/bin/python3");
        Path script = locate("tests/bench/torch_train_lstm.py");

        RecurrentSpec.Cell cell = RecurrentSpec.Cell.valueOf(cellWord.toUpperCase(Locale.ROOT));
        RecurrentSpec spec = new RecurrentSpec(cell, vocab, hidden, layers, seq, false, false, 1e-5, true, false);
        Path dir = Files.createTempDirectory("layerwise-rnn-bench");
        try (NDManager m = NDManager.newBaseManager();
             RecurrentModel model = RecurrentModel.create(spec, 1, 0.02, null,
                     new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32), null)) {
            model.save(dir.resolve("model"));           // the reference trains these exact weights
            List<int[]> rows = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                int[] r = new int[seq];
                for (int i = 0; i < seq; i++) r[i] = (b * 131 + i * 7) % vocab;
                rows.add(r);
            }
            TokenBatch tokens = new TokenBatch(rows);
            TrainingOptions options = new TrainingOptions(warmup + steps, 1, 1.0, LearningRateSchedule.constant(1e-4), 0, 0);
            double firstLoss, stepMs;
            try (Trainer<TokenBatch> trainer = new Trainer<>(model, new LanguageModelObjective(model),
                    new AdamW(m, 0.9, 0.95, 1e-8, 0.1, true), options, 1)) {
                firstLoss = trainer.step(List.of(tokens)).loss();
                for (int i = 1; i < warmup; i++) trainer.step(List.of(tokens));
                long t0 = System.nanoTime();
                for (int i = 0; i < steps; i++) trainer.step(List.of(tokens));
                stepMs = (System.nanoTime() - t0) / 1e6 / steps;
            }
            Process p = new ProcessBuilder(python, script.toString(), dir.resolve("model").toString(), String.valueOf(batch),
                    String.valueOf(seq), String.valueOf(warmup), String.valueOf(steps), String.valueOf(threads))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) throw new IllegalStateException("the PyTorch reference failed:\n" + out);
            JsonNode ref = new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));
            System.out.printf(Locale.ROOT, "%s language model: %s, %,d parameters; batch %d x %d tokens; AdamW + clip 1.0; "
                    + "%d warm-up + %d timed steps; %d thread(s)%n", cell.word(), spec.describe(), model.parameterCount(), batch, seq,
                    warmup, steps, threads);
            System.out.printf(Locale.ROOT, "%-28s %10s %12s %14s %10s%n", "implementation", "first loss", "ms / step", "tokens / s", "vs torch");
            double torchTps = ref.get("tokens_per_s").asDouble();
            System.out.printf(Locale.ROOT, "%-28s %10.5f %12.1f %,14.0f %9.2fx%n", "PyTorch " + ref.get("torch").asText() + " eager ("
                    + ref.get("threads").asInt() + " thr)", ref.get("first_loss").asDouble(), ref.get("step_ms").asDouble(), torchTps, 1.0);
            double tps = (double) batch * seq / (stepMs / 1000);
            System.out.printf(Locale.ROOT, "%-28s %10.5f %12.1f %,14.0f %9.2fx%n", "Layerwise Trainer (DJL)", firstLoss, stepMs, tps, tps / torchTps);
        } finally {
            AtomicFiles.deleteTree(dir);
        }
    }

    private static Path locate(String relative) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.isRegularFile(p.resolve(relative))) return p.resolve(relative);
        throw new IllegalStateException("Cannot find " + relative + " above the working directory; run from the repository");
    }
}
