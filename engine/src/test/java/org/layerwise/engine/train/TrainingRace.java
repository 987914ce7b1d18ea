package org.layerwise.engine.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.layerwise.engine.model.TokenModel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The measurement the training benchmarks share: the engine's {@link Trainer} (AdamW, clip 1.0) on a fixed batch, then
 * a PyTorch eager script on the same saved weights and batch, and one table of both. The script takes
 * {@code MODEL_DIR BATCH SEQ WARMUP STEPS [extra…]} and prints, last, a JSON line with torch, threads, first_loss,
 * step_ms and tokens_per_s.
 */
final class TrainingRace {
    private TrainingRace() {}

    /** The benchmark batch: {@code batch} rows of {@code seq} ids spread over the vocabulary (the scripts make the same). */
    static TokenBatch batch(int batch, int seq, int vocab) {
        List<int[]> rows = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            int[] r = new int[seq];
            for (int i = 0; i < seq; i++) r[i] = (b * 131 + i * 7) % vocab;
            rows.add(r);
        }
        return new TokenBatch(rows);
    }

    /**
     * Times {@code steps} Trainer steps after {@code warmup}, runs the reference on {@code savedModel} and prints the table
     * under {@code title}.
     */
    static void run(String title, TokenModel model, Path savedModel, int batch, int seq, int vocab, int warmup, int steps,
                    String script, List<String> extraArgs) throws Exception {
        TokenBatch tokens = batch(batch, seq, vocab);
        TrainingOptions options = new TrainingOptions(warmup + steps, 1, 1.0, LearningRateSchedule.constant(1e-4), 0, 0);
        double firstLoss, stepMs;
        try (NDManager m = NDManager.newBaseManager();
             Trainer<TokenBatch> trainer = new Trainer<>(model, new LanguageModelObjective(model),
                     new AdamW(m, 0.9, 0.95, 1e-8, 0.1, true), options, 1)) {
            firstLoss = trainer.step(List.of(tokens)).loss();
            for (int i = 1; i < warmup; i++) trainer.step(List.of(tokens));
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) trainer.step(List.of(tokens));
            stepMs = (System.nanoTime() - t0) / 1e6 / steps;
        }
        List<String> command = new ArrayList<>(List.of(System.getProperty("python", "/usr/bin/python3"), locate(script).toString(),
                savedModel.toString(), String.valueOf(batch), String.valueOf(seq), String.valueOf(warmup), String.valueOf(steps)));
        command.addAll(extraArgs);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) throw new IllegalStateException("the PyTorch reference failed:\n" + out);
        JsonNode ref = new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));

        System.out.println(title);
        System.out.printf(Locale.ROOT, "%-28s %10s %12s %14s %10s%n", "implementation", "first loss", "ms / step", "tokens / s", "vs torch");
        double torchTps = ref.get("tokens_per_s").asDouble();
        System.out.printf(Locale.ROOT, "%-28s %10.5f %12.1f %,14.0f %9.2fx%n", "PyTorch " + ref.get("torch").asText() + " eager ("
                + ref.get("threads").asInt() + " thr)", ref.get("first_loss").asDouble(), ref.get("step_ms").asDouble(), torchTps, 1.0);
        double tps = (double) batch * seq / (stepMs / 1000);
        System.out.printf(Locale.ROOT, "%-28s %10.5f %12.1f %,14.0f %9.2fx%n", "Layerwise Trainer (DJL)", firstLoss, stepMs, tps, tps / torchTps);
    }

    private static Path locate(String relative) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.isRegularFile(p.resolve(relative))) return p.resolve(relative);
        throw new IllegalStateException("Cannot find " + relative + " above the working directory; run from the repository");
    }
}
