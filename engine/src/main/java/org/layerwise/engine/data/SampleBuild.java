package org.layerwise.engine.data;

import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.tokenizer.Gpt2Bpe;
import org.layerwise.engine.tokenizer.HfTokenizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds {@code sample-data/} from the generator code and the hand-written tables, with fixed seeds:
 * the fact world ({@code world/}), its GPT-2-derived vocabulary ({@code tokenizers/facts/}) and the
 * sample fact models. Run it from a checkout with
 * {@code mvn -B -o -q -pl engine -am compile exec:java -Dexec.mainClass=org.layerwise.engine.data.SampleBuild -Dexec.args=sample-data}
 * or through the CLI's {@code build-samples} command.
 */
public final class SampleBuild {

    public static final long WORLD_SEED = 0;

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

    public static void main(String[] args) throws Exception {
        Path sampleData = Path.of(args.length > 0 ? args[0] : "sample-data");
        if (!Files.isDirectory(sampleData.resolve("facts"))) {
            System.err.println("no facts/ tables in " + sampleData.toAbsolutePath()
                    + "; pass the repository's sample-data folder");
            System.exit(2);
        }
        SampleBuild build = new SampleBuild(sampleData, System.out);
        FactWorld world = build.buildWorld();
        build.buildFactsTokenizer(world);
    }
}
