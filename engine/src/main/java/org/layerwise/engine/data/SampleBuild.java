package org.layerwise.engine.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.io.AtomicFiles;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.InsufficientMemoryException;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RandomWeights;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.tokenizer.Gpt2Bpe;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.engine.train.AdamW;
import org.layerwise.engine.train.LanguageModelObjective;
import org.layerwise.engine.train.LearningRateSchedule;
import org.layerwise.engine.train.TokenBatch;
import org.layerwise.engine.train.TokenDataset;
import org.layerwise.engine.train.Trainer;
import org.layerwise.engine.train.TrainingOptions;
import org.layerwise.engine.train.TrainingResult;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds {@code sample-data/} from the generator code and the hand-written tables, with fixed seeds:
 * the fact world ({@code world/}), its GPT-2-derived vocabulary ({@code tokenizers/facts/}) and the
 * sample fact models. Run it from a checkout with
 * {@code mvn -B -o -q -pl engine compile dependency:build-classpath -Dmdep.outputFile=$PWD/engine/target/classpath.txt} then
 * {@code java -Dai.djl.offline=true -cp engine/target/classes:$(cat engine/target/classpath.txt) org.layerwise.engine.data.SampleBuild sample-data}
 * or through the CLI's {@code build-samples} command.
 */
public final class SampleBuild {

    public static final long WORLD_SEED = 0;

    private static final JsonMapper JSON = new JsonMapper();

    private final Path sampleData;
    private final PrintStream log;

    public SampleBuild(Path sampleData, PrintStream log) {
        this.sampleData = sampleData;
        this.log = log;
    }

    public Path worldDir() {
        return sampleData.resolve("world");
    }

    public Path factsTokenizer() {
        return sampleData.resolve("tokenizers/facts/tokenizer.json");
    }

    public Path gpt2Tokenizer() {
        return sampleData.resolve("tokenizers/gpt2/tokenizer.json");
    }

    /** Regenerates world/ from facts/*.tsv. */
    public FactWorld buildWorld() throws IOException {
        FactWorld world = FactWorld.standard(sampleData.resolve("facts"), WORLD_SEED);
        world.write(worldDir());
        log.printf("world: %d facts, %d training sentences, %d CounterFact records → %s%n", world.facts().size(),
                world.trainingSentences().size(), world.counterfactRecords().size(), worldDir());
        return world;
    }

    /**
     * GPT-2's vocabulary restricted to everything the world's texts use — training sentences, held-out
     * prompts and every object after a space — so subjects split as in GPT-J but the embedding is small.
     */
    public Gpt2Bpe buildFactsTokenizer(FactWorld world) throws IOException, CheckpointException {
        List<String> texts = new ArrayList<>(world.trainingSentences());
        for (FactRecord r : world.factRecords()) {
            texts.addAll(r.paraphrases());
            texts.add(" " + r.object());
        }
        for (var rec : world.counterfactRecords()) {
            rec.path("neighborhood_prompts").forEach(n -> texts.add(n.asText()));
            rec.path("attribute_prompts").forEach(n -> texts.add(n.asText()));
            rec.path("generation_prompts").forEach(n -> texts.add(n.asText()));
        }
        Gpt2Bpe derived;
        try (HfTokenizer gpt2 = HfTokenizer.load(gpt2Tokenizer())) {
            derived = Gpt2Bpe.fromTokenizerJson(gpt2Tokenizer()).restrictToCorpus(gpt2, texts);
        }
        Files.createDirectories(factsTokenizer().getParent());
        derived.writeTokenizerJson(factsTokenizer());
        log.printf("tokenizer: GPT-2 BPE restricted to the world, %d tokens, %d merges → %s%n", derived.size(),
                derived.merges().size(), factsTokenizer());
        return derived;
    }

    /** What training one sample model gave. */
    public record ModelReport(FactModelRecipe recipe, TrainingResult training, double seconds, long parameters,
                              FactsRecall.Result recall, Path dir) {}

    /**
     * Trains {@code recipe} from random weights on the world's training sentences (each followed by
     * {@code <|endoftext|>}), saves it in float16 under {@code models/<name>} with its tokenizer,
     * measures its recall and writes TRAINING.json and MODEL_CARD.md beside the weights.
     */
    public ModelReport trainModel(FactModelRecipe recipe, FactWorld world)
            throws IOException, CheckpointException, InsufficientMemoryException {
        Path tokenizerDir = factsTokenizer().getParent();
        List<int[]> sequences = new ArrayList<>();
        int endOfText;
        try (HfTokenizer tokenizer = HfTokenizer.load(tokenizerDir)) {
            endOfText = tokenizer.encode(Gpt2Bpe.END_OF_TEXT).ids()[0];
            for (String sentence : world.trainingSentences()) {
                int[] ids = tokenizer.encode(sentence).ids();
                int[] withEnd = Arrays.copyOf(ids, ids.length + 1);
                withEnd[ids.length] = endOfText;
                sequences.add(withEnd);
            }
        }
        TokenDataset data = TokenDataset.ofSequences(sequences, recipe.spec().maxPositions(), recipe.batchSize(), recipe.seed());
        TrainingOptions options = new TrainingOptions(recipe.steps(), 1, 1.0, new LearningRateSchedule(recipe.peakRate(),
                recipe.warmup(), recipe.steps(), LearningRateSchedule.Decay.COSINE, recipe.peakRate() / 10), 0, 0);
        ObjectNode config = JSON.createObjectNode();
        config.put("bos_token_id", endOfText);
        config.put("eos_token_id", endOfText);
        Path out = sampleData.resolve("models").resolve(recipe.name());
        Path float32 = Files.createTempDirectory("layerwise-" + recipe.name());
        long start = System.nanoTime();
        TrainingResult result;
        long parameters;
        try {
            try (NDManager m = NDManager.newBaseManager()) {
                TransformerModel model;
                try (NDManager init = m.newSubManager()) {
                    Map<String, NDArray> weights = RandomWeights.create(recipe.spec(), init, recipe.seed(), 0.02f);
                    model = TransformerModel.create(recipe.spec(), weights, HfTokenizer.load(tokenizerDir),
                            new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32), config, tokenizerDir);
                }
                try (model; Trainer<TokenBatch> trainer = new Trainer<>(model, new LanguageModelObjective(model),
                        new AdamW(m, 0.9, 0.98, 1e-8, 0.01, true), options, recipe.seed())) {
                    parameters = model.parameterCount();
                    log.printf("%s: %,d parameters, %d steps of %d sentences (%d sentences, %.1f epochs)%n", recipe.name(),
                            parameters, recipe.steps(), recipe.batchSize(), data.size(),
                            (double) recipe.steps() * recipe.batchSize() / data.size());
                    result = trainer.run(data, List.of(), null, new PrintingContext(recipe.name(), recipe.steps(), log));
                    model.save(float32);
                }
            }
            // stored in float16 (half the size; the fact models' weights are small and well inside its range)
            try (TransformerModel half = TransformerModel.load(float32,
                    new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT16))) {
                half.save(out);
            }
        } finally {
            AtomicFiles.deleteTree(float32);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long measuring = System.nanoTime();
        FactsRecall.Result recall;
        try (TransformerModel saved = TransformerModel.load(out, new LoadOptions(LoadOptions.DeviceChoice.CPU,
                LoadOptions.DtypeChoice.KEEP))) {
            recall = FactsRecall.measure(saved, world.factRecords());
        }
        log.printf("%s: recall measured in %.0f s%n", recipe.name(), (System.nanoTime() - measuring) / 1e9);
        ModelReport report = new ModelReport(recipe, result, seconds, parameters, recall, out);
        ModelCard.write(report, world, this);
        log.printf("%s: %.0f s, final loss %.4f, recall %.1f%% training prompts, %.1f%% held-out paraphrases → %s%n",
                recipe.name(), seconds, last(result.losses()), 100 * recall.training().rate(),
                100 * recall.paraphrase().rate(), out);
        return report;
    }

    static double last(List<Double> losses) {
        return losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
    }

    /** Prints a training line every tenth of the run. */
    private static final class PrintingContext implements JobContext {
        private final String name;
        private final long every;
        private final PrintStream log;
        private final long start = System.nanoTime();

        PrintingContext(String name, long steps, PrintStream log) {
            this.name = name;
            this.every = Integer.getInteger("layerwise.samples.logEvery", (int) Math.max(1, steps / 10));
            this.log = log;
        }

        @Override public void progress(double fraction, String message) { }
        @Override public void metric(String metric, long step, double value) {
            if (metric.equals("loss") && (step % every == 0 || step == 1)) {
                log.printf("%s step %d loss %.4f (%.0f s)%n", name, step, value, (System.nanoTime() - start) / 1e9);
            }
        }
        @Override public void log(String line) { }
        @Override public void trace(String kind, String json) { }
        @Override public Path artifact(String artifactName, Path file) { return file; }
        @Override public boolean isCancelled() { return false; }
        @Override public long runId() { return -1; }
    }

    public static void main(String[] args) throws Exception {
        Path sampleData = Path.of(args.length > 0 ? args[0] : "sample-data");
        if (!Files.isDirectory(sampleData.resolve("facts"))) {
            System.err.println("no facts/ tables in " + sampleData.toAbsolutePath()
                    + "; pass the repository's sample-data folder");
            System.exit(2);
        }
        SampleBuild build = new SampleBuild(sampleData, System.out);
        FactWorld world = build.buildWorld();
        Gpt2Bpe vocabulary = build.buildFactsTokenizer(world);
        int steps = Integer.getInteger("layerwise.samples.steps", 0);
        int batch = Integer.getInteger("layerwise.samples.batch", 0);
        String only = System.getProperty("layerwise.samples.models", "");
        for (FactModelRecipe recipe : FactModelRecipe.standard(vocabulary.size())) {
            if (!only.isEmpty() && !Arrays.asList(only.split(",")).contains(recipe.family())) {
                continue;
            }
            FactModelRecipe r = steps > 0 ? recipe.withSteps(steps) : recipe;
            build.trainModel(batch > 0 ? r.withBatch(batch) : r, world);
        }
    }
}
