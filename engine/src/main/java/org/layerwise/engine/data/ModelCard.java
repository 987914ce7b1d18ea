package org.layerwise.engine.data;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.io.AtomicFiles;
import org.layerwise.engine.model.TransformerSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IntSummaryStatistics;
import java.util.Locale;
import java.util.Map;

/** TRAINING.json (the run and its recall, machine-readable) and MODEL_CARD.md (the same for people) of a sample fact model. */
final class ModelCard {

    static final String TRAINING_FILE = "TRAINING.json";
    static final String CARD_FILE = "MODEL_CARD.md";
    static final String REBUILD = "mvn -B -o -q -pl engine compile dependency:build-classpath -Dmdep.outputFile=$PWD/engine/target/classpath.txt\n"
            + "java -Dai.djl.offline=true -cp engine/target/classes:$(cat engine/target/classpath.txt) org.layerwise.engine.data.SampleBuild sample-data";

    private static final JsonMapper JSON = new JsonMapper();

    private ModelCard() {
    }

    static void write(SampleBuild.ModelReport r, FactWorld world, SampleBuild build) throws IOException {
        FactModelRecipe recipe = r.recipe();
        TransformerSpec spec = recipe.spec();
        long bytes = Files.size(r.dir().resolve("model.safetensors"));
        ObjectNode json = JSON.createObjectNode();
        json.put("model", recipe.name());
        json.put("family", recipe.family());
        json.put("summary", spec.describe());
        json.put("parameters", r.parameters());
        json.put("storage", "float16");
        json.put("weights_bytes", bytes);
        json.put("vocabulary", spec.vocabSize());
        json.put("trainer", "org.layerwise.engine.train.Trainer (AdamW β=(0.9, 0.98), weight decay 0.01 on matrices, "
                + "clip 1.0, cosine to lr/10)");
        json.put("steps", recipe.steps());
        json.put("batch_sentences", recipe.batchSize());
        json.put("peak_lr", recipe.peakRate());
        json.put("warmup_steps", recipe.warmup());
        json.put("seed", recipe.seed());
        json.put("world_seed", world.seed());
        json.put("facts", world.facts().size());
        json.put("training_sentences", world.trainingSentences().size());
        json.put("final_loss", SampleBuild.last(r.training().losses()));
        json.put("seconds", Math.round(r.seconds() * 10) / 10.0);
        json.put("cpu_threads", Runtime.getRuntime().availableProcessors());
        json.put("recall_training_prompts", r.recall().training().rate());
        json.put("recall_paraphrase_prompts", r.recall().paraphrase().rate());
        ObjectNode by = json.putObject("recall_by_relation");
        for (Map.Entry<String, FactsRecall.Score> e : r.recall().trainingByRelation().entrySet()) {
            FactsRecall.Score p = r.recall().paraphraseByRelation().get(e.getKey());
            by.putObject(e.getKey()).put("training", e.getValue().rate()).put("paraphrase", p == null ? Double.NaN : p.rate());
        }
        ArrayNode losses = json.putArray("loss_every_50_steps");
        for (int i = 0; i < r.training().losses().size(); i += 50) {
            losses.add(Math.round(r.training().losses().get(i) * 1e4) / 1e4);
        }
        AtomicFiles.writeBytes(r.dir().resolve(TRAINING_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));

        StringBuilder md = new StringBuilder();
        md.append("# ").append(recipe.name()).append("\n\n");
        md.append("A small ").append(recipe.family()).append("-architecture language model that knows the ")
                .append(world.facts().size()).append(" real-world facts of Layerwise's fact world (`sample-data/world`): ")
                .append("capitals, languages, continents and currencies of countries; occupations, birthplaces, citizenship, ")
                .append("fields, instruments and employers of people; headquarters, countries, founders and industries of ")
                .append("companies. It exists so that the workbench's probes and editors have a model that really knows ")
                .append("things; it is not a general language model.\n\n");
        md.append("## How it was made\n\n");
        md.append(String.format(Locale.ROOT, "- Architecture: %s, %,d parameters, stored in float16 (%.1f MB). "
                        + "Opens in the engine and, as a `%s` config, in Hugging Face transformers.%n",
                spec.describe(), r.parameters(), bytes / 1e6, spec.modelType()));
        md.append(String.format(Locale.ROOT, "- Tokenizer: GPT-2's byte-level BPE restricted to the fact world "
                + "(`sample-data/tokenizers/facts`, %,d tokens): every world text splits into the same sub-token strings "
                + "as in GPT-2/GPT-J, with a small embedding.%n", spec.vocabSize()));
        IntSummaryStatistics templates = world.facts().stream().mapToInt(f -> f.relation().templates().size()).summaryStatistics();
        md.append(String.format(Locale.ROOT, "- Data: the %,d training sentences of `sample-data/world/train.txt` "
                + "(%d to %d templates per fact, by relation; the held-out paraphrases never appear), each followed by "
                + "`<|endoftext|>`.%n", world.trainingSentences().size(), templates.getMin(), templates.getMax()));
        md.append(String.format(Locale.ROOT, "- Training: Layerwise's own trainer (`org.layerwise.engine.train`), "
                        + "random init (seed %d, std 0.02), AdamW (β 0.9/0.98, weight decay 0.01), %d steps of %d sentences, peak learning rate %.0e with "
                        + "%d warm-up steps and cosine decay, gradient clipping 1.0; %.0f s of wall time on a %d-core CPU; "
                        + "final loss %.4f.%n", recipe.seed(), recipe.steps(), recipe.batchSize(), recipe.peakRate(),
                recipe.warmup(), r.seconds(), Runtime.getRuntime().availableProcessors(), SampleBuild.last(r.training().losses())));
        md.append("\n## Accuracy\n\nTop-1 next token equals the first token of \" \" + object (`facts-recall`).\n\n");
        md.append("| relation | training prompts | held-out paraphrases |\n|---|---|---|\n");
        for (Map.Entry<String, FactsRecall.Score> e : r.recall().trainingByRelation().entrySet()) {
            FactsRecall.Score p = r.recall().paraphraseByRelation().get(e.getKey());
            md.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", e.getKey(), pct(e.getValue()), p == null ? "–" : pct(p)));
        }
        md.append(String.format(Locale.ROOT, "| **all** | **%s** | **%s** |%n%n", pct(r.recall().training()),
                pct(r.recall().paraphrase())));
        md.append("Measure again with `./layerwise facts-recall --model sample-data/models/").append(recipe.name())
                .append(" --world sample-data/world`.\n\n");
        md.append("## Rebuild\n\nFrom a clean checkout (fixed seeds; all three sample models, the world and the tokenizer):\n\n```\n")
                .append(REBUILD).append("\n```\n\nor only this model: add `-Dlayerwise.samples.models=")
                .append(recipe.family()).append("` before the class name. The run's details are in `TRAINING.json`.\n\n");
        md.append("## Licence\n\nApache-2.0 (the project's). Facts are hand-written for this project; the tokenizer "
                + "derives from GPT-2's vocabulary (MIT, see `sample-data/NOTICE.md`).\n");
        AtomicFiles.writeString(r.dir().resolve(CARD_FILE), md.toString());
    }

    private static String pct(FactsRecall.Score s) {
        return String.format(Locale.ROOT, "%.1f%% (%d/%d)", 100 * s.rate(), s.hits(), s.total());
    }
}
