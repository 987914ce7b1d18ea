package org.layerwise.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.layerwise.engine.io.AtomicFiles;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RandomWeights;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.model.TransformerSpec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        String python = System.getProperty("python", "/usr/bin/python3");
        Path script = locate("tests/bench/torch_train_gpt2.py");

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
                        String.valueOf(seq), String.valueOf(warmup), String.valueOf(steps)).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor() != 0) throw new IllegalStateException("the PyTorch reference failed:\n" + out);
                JsonNode ref = new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));
                double tokensPerStep = (double) batch * seq;
                System.out.printf(Locale.ROOT, "GPT-2-shaped model: %d layers, d %d, %d heads, vocab %d, %,d parameters; batch %d x %d tokens; "
                        + "AdamW + clip 1.0; %d warm-up + %d timed steps%n", layers, d, heads, vocab, model.parameterCount(), batch, seq, warmup, steps);
                System.out.printf(Locale.ROOT, "%-28s %10s %12s %14s %10s%n", "implementation", "first loss", "ms / step", "tokens / s", "vs torch");
                double torchTps = ref.get("tokens_per_s").asDouble();
                System.out.printf(Locale.ROOT, "%-28s %10.5f %12.1f %,14.0f %9.2fx%n", "PyTorch " + ref.get("torch").asText() + " eager ("
                        + ref.get("threads").asInt() + " thr)", ref.get("first_loss").asDouble(), ref.get("step_ms").asDouble(), torchTps, 1.0);
                double tps = tokensPerStep / (stepMs / 1000);
                System.out.printf(Locale.ROOT, "%-28s %10.5f %12.1f %,14.0f %9.2fx%n", "Layerwise Trainer (DJL)", firstLoss, stepMs, tps, tps / torchTps);
            }
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
