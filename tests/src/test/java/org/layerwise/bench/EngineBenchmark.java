package org.layerwise.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.model.Generation;
import org.layerwise.engine.model.GenerationConfig;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RandomWeights;
import org.layerwise.engine.model.Taps;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.model.TransformerSpec;
import org.layerwise.engine.tokenizer.HfTokenizer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The engine benchmark (issue 3): prints a table comparing the engine with PyTorch eager measured in the same run.
 * <ol>
 *   <li>forward tokens/s of a GPT-2-small-shaped model (124M parameters, random weights saved as a Hugging Face
 *       folder) at sequence length 128, batch 1 and 8, beside tests/bench/torch_gpt2.py on the same weights;</li>
 *   <li>generation tokens/s with and without the key/value cache;</li>
 *   <li>native memory (RSS) before and after 1,000 forwards;</li>
 *   <li>load time and peak resident memory of a LLaMA-7B-shaped BF16 checkpoint generated on disk now
 *       ({@link LoadProbe} in a child JVM).</li>
 * </ol>
 * {@code --parts forward,memory,7b} (the default) chooses what runs.
 * <ol>
 * </ol>
 * Run: {@code mvn -B -o -q -pl tests test-compile && mvn -B -o -q -pl tests exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.layerwise.bench.EngineBenchmark -Dexec.args="--work /tmp/lw-bench"}; see docs/benchmarks.md.
 */
public final class EngineBenchmark {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int SEQ = 128;

    public static void main(String[] args) throws Exception {
        Path work = Path.of(argument(args, "--work", "/tmp/layerwise-bench"));
        int iterations = Integer.parseInt(argument(args, "--iterations", "10"));
        List<String> parts = List.of(argument(args, "--parts", "forward,memory,7b").split(","));
        Files.createDirectories(work);
        Path repo = repoRoot();
        List<String[]> rows = new ArrayList<>();
        System.out.printf("Engine: DJL %s, PyTorch %s, device %s, %d cores%n", Engine.getDjlVersion(),
                Engine.getInstance().getVersion(), Engine.getInstance().defaultDevice(), Runtime.getRuntime().availableProcessors());

        Path gpt2 = work.resolve("gpt2-small-random");
        if (!Files.exists(gpt2.resolve("model.safetensors"))) writeGpt2Small(gpt2, repo.resolve("sample-data/tokenizers/gpt2"));

        if (parts.contains("forward")) try (TransformerModel model = TransformerModel.load(gpt2, LoadOptions.of("cpu", "float32"))) {
            // PyTorch eager on the same weights, measured in the same run (twice, interleaved, best of each)
            double[] best = {0, 0, 0, 0};
            for (int round = 0; round < 2; round++) {
                best[0] = Math.max(best[0], engineForward(model, 1, iterations));
                best[1] = Math.max(best[1], engineForward(model, 8, Math.max(2, iterations / 4)));
                JsonNode torch = torch(repo, gpt2, iterations);
                best[2] = Math.max(best[2], torch.get("forward").get("1").asDouble());
                best[3] = Math.max(best[3], torch.get("forward").get("8").asDouble());
                if (round == 0) {
                    double engineSum = checksum(model);
                    System.out.printf("logits checksum (last position, ids 0..127): engine %.4f, torch %.4f (torch %s, %d threads)%n",
                            engineSum, torch.get("checksum").asDouble(), torch.get("torch").asText(), torch.get("threads").asInt());
                }
            }
            rows.add(row("forward GPT-2 124M, T=128, batch 1 (tokens/s)", best[0], best[2]));
            rows.add(row("forward GPT-2 124M, T=128, batch 8 (tokens/s)", best[1], best[3]));

            int[] prompt = new int[16];
            for (int i = 0; i < prompt.length; i++) prompt[i] = 100 + i;
            Generation cached = model.generate(prompt, new GenerationConfig(64, 0, 0, 1, 0, List.of(), true), null);
            Generation full = model.generate(prompt, new GenerationConfig(64, 0, 0, 1, 0, List.of(), false), null);
            rows.add(new String[] {"generate 64 tokens, greedy, with cache (tokens/s)",
                    String.format("%.1f", cached.tokenIds().length / (cached.nanos() / 1e9)),
                    String.format("without cache: %.1f", full.tokenIds().length / (full.nanos() / 1e9)), "", ""});
            rows.add(new String[] {"generation: cache and no cache give the same tokens", String.valueOf(
                    java.util.Arrays.equals(cached.tokenIds(), full.tokenIds())), "", "", ""});

        }
        if (parts.contains("memory")) {
            JsonNode rss = childJvm(MemoryProbe.class, List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"), gpt2.toString()).get("rss");
            long before = rss.get(0).asLong(), after = rss.get(rss.size() - 1).asLong();
            StringBuilder series = new StringBuilder();
            rss.forEach(v -> series.append(series.length() == 0 ? "" : ", ").append(v.asLong() >> 20));
            System.out.println("RSS every 100 forwards (MiB): " + series);
            rows.add(new String[] {"native memory (RSS, fixed pre-touched heap) over 1,000 forwards, T=32",
                    mib(before) + " → " + mib(after), String.format("%+.2f%%", 100.0 * (after - before) / before), "< 5%",
                    after < before * 1.05 ? "yes" : "NO"});
        }

        if (parts.contains("7b")) {
            Path llama = work.resolve("llama-7b-shaped-bf16");
            if (!Files.exists(llama.resolve("model.safetensors.index.json"))) {
                long t0 = System.nanoTime();
                Llama7bCheckpoint.write(llama, repo.resolve("sample-data/tokenizers/gpt2"));
                System.out.printf("generated %s in %.0f s%n", llama, (System.nanoTime() - t0) / 1e9);
            }
            JsonNode probe = childJvm(LoadProbe.class, List.of("-Xmx1g"), llama.toString());
            double ratio = probe.get("peak_rss").asDouble() / probe.get("file_bytes").asDouble();
            rows.add(new String[] {"LLaMA-7B-shaped BF16 load (" + probe.get("parameters").asLong() / 1_000_000 + "M params, "
                    + gib(probe.get("file_bytes").asLong()) + ", held as " + probe.get("dtype").asText() + ")",
                    String.format("%.1f s", probe.get("load_seconds").asDouble()),
                    "peak RSS " + gib(probe.get("peak_rss").asLong()) + String.format(" = %.3f× file", ratio),
                    "≤ 1.15×", ratio <= 1.15 ? "yes" : "NO"});
        }

        System.out.println();
        System.out.println("| measure | engine (DJL) | PyTorch eager | target | met |");
        System.out.println("|---|---|---|---|---|");
        for (String[] r : rows) System.out.println("| " + String.join(" | ", r) + " |");
    }

    static String[] row(String what, double engine, double torch) {
        double ratio = engine / torch;
        return new String[] {what, String.format("%.0f", engine), String.format("%.0f (engine = %.2f×)", torch, ratio),
                "≥ 0.9×", ratio >= 0.9 ? "yes" : "NO"};
    }

    static double engineForward(TransformerModel model, int batch, int iterations) {
        try (GradMode off = GradMode.off(); NDManager m = NDManager.newBaseManager()) {
            NDArray ids = m.randomInteger(0, model.spec().vocabSize(), new Shape(batch, SEQ), DataType.INT64);
            try (NDManager warm = m.newSubManager()) {
                model.forward(warm, ids, null, Taps.none());
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                try (NDManager step = m.newSubManager()) {
                    model.forward(step, ids, null, Taps.none()).getFloat(0, 0, 0); // wait for the result
                }
            }
            return (double) batch * SEQ * iterations / ((System.nanoTime() - t0) / 1e9);
        }
    }

    static double checksum(TransformerModel model) {
        int[] ids = new int[SEQ];
        for (int i = 0; i < SEQ; i++) ids[i] = i % model.spec().vocabSize();
        try (GradMode off = GradMode.off(); NDManager m = NDManager.newBaseManager()) {
            return model.forward(m, ids, Taps.none()).get(SEQ - 1).sum().getFloat();
        }
    }

    static JsonNode torch(Path repo, Path model, int iterations) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", repo.resolve("tests/bench/torch_gpt2.py").toString(),
                model.toString(), String.valueOf(SEQ), String.valueOf(iterations), "1", "8")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) throw new IllegalStateException("torch reference failed (apt-get install python3-torch)");
        return JSON.readTree(out.substring(out.lastIndexOf('\n') + 1));
    }

    static JsonNode childJvm(Class<?> main, List<String> jvmOptions, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) last = line;
        }
        if (p.waitFor() != 0 || last == null) throw new IllegalStateException(main.getSimpleName() + " failed");
        return JSON.readTree(last);
    }

    static void writeGpt2Small(Path dir, Path tokenizerDir) throws Exception {
        ObjectNode config = JSON.createObjectNode().put("model_type", "gpt2").put("vocab_size", 50257).put("n_embd", 768)
                .put("n_layer", 12).put("n_head", 12).put("n_positions", 1024).put("layer_norm_epsilon", 1e-5)
                .put("activation_function", "gelu_new").put("bos_token_id", 50256).put("eos_token_id", 50256);
        TransformerSpec spec = TransformerSpec.fromHuggingFaceConfig(config);
        try (NDManager m = NDManager.newBaseManager(); HfTokenizer tok = HfTokenizer.load(tokenizerDir)) {
            Map<String, NDArray> weights = RandomWeights.create(spec, m, 42, 0.02f);
            try (TransformerModel model = TransformerModel.create(spec, weights, tok, LoadOptions.of("cpu", "float32"),
                    config, tokenizerDir)) {
                model.save(dir);
            }
        }
    }

    static long rssBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    static String mib(long bytes) { return String.format("%.0f MiB", bytes / 1048576.0); }

    static String gib(long bytes) { return String.format("%.2f GiB", bytes / 1073741824.0); }

    static String argument(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
        return fallback;
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("tests/bench"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("run from inside the repository");
        return p;
    }
}
