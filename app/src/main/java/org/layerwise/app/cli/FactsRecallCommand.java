package org.layerwise.app.cli;

import org.layerwise.sdk.cli.CliSupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.checkpoint.CheckpointException;
import org.layerwise.engine.data.FactRecord;
import org.layerwise.engine.data.FactWorld;
import org.layerwise.engine.data.FactsRecall;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code layerwise facts-recall}: how many facts of a fact world a model answers, top-1, on trained and held-out prompts. */
@Command(name = "facts-recall", mixinStandardHelpOptions = true,
        description = "Measure a model's top-1 recall of a fact world's facts (first token of the object) on its "
                + "training prompts and on held-out paraphrases, overall and per relation.")
public final class FactsRecallCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "A model folder (config.json, model.safetensors, tokenizer.json).")
    Path model;

    @Option(names = "--world", paramLabel = "DIR", defaultValue = "sample-data/world",
            description = "The fact world folder holding facts.jsonl (default: ${DEFAULT-VALUE}).")
    Path world;

    @Option(names = "--misses", paramLabel = "N", defaultValue = "0", description = "Also list the first N prompts answered wrongly.")
    int misses;

    @Option(names = "--min-training", paramLabel = "RATE", defaultValue = "0",
            description = "Exit with code 2 when training-prompt recall is below RATE (0..1).")
    double minTraining;

    @Option(names = "--min-paraphrase", paramLabel = "RATE", defaultValue = "0",
            description = "Exit with code 2 when held-out paraphrase recall is below RATE (0..1).")
    double minParaphrase;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return CliSupport.reportingErrors(spec, () -> {
            List<FactRecord> facts;
            try {
                facts = FactWorld.readFacts(world);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            FactsRecall.Result r;
            try (TransformerModel m = TransformerModel.load(model, new LoadOptions(LoadOptions.DeviceChoice.AUTO,
                    LoadOptions.DtypeChoice.KEEP))) {
                r = FactsRecall.measure(m, facts);
            } catch (CheckpointException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
                ObjectNode n = mapper.valueToTree(r);
                n.put("training_rate", r.training().rate());
                n.put("paraphrase_rate", r.paraphrase().rate());
                n.set("misses", mapper.valueToTree(r.misses().subList(0, Math.min(misses, r.misses().size()))));
                out.println(mapper.writeValueAsString(n));
            } else {
                out.printf(Locale.ROOT, "%-16s %22s %22s%n", "relation", "training prompts", "held-out paraphrases");
                for (Map.Entry<String, FactsRecall.Score> e : r.trainingByRelation().entrySet()) {
                    out.printf(Locale.ROOT, "%-16s %22s %22s%n", e.getKey(), format(e.getValue()),
                            format(r.paraphraseByRelation().get(e.getKey())));
                }
                out.printf(Locale.ROOT, "%-16s %22s %22s%n", "all", format(r.training()), format(r.paraphrase()));
                for (FactsRecall.Miss miss : r.misses().subList(0, Math.min(misses, r.misses().size()))) {
                    out.printf(Locale.ROOT, "miss%s: %s → %s (expected %s)%n", miss.heldOut() ? " (held out)" : "",
                            miss.prompt(), miss.predicted(), miss.expected());
                }
            }
            out.flush();
            boolean enough = r.training().rate() >= minTraining && r.paraphrase().rate() >= minParaphrase;
            if (!enough) {
                spec.commandLine().getErr().printf(Locale.ROOT, "facts-recall: below the required recall "
                        + "(training %.3f < %.3f or paraphrase %.3f < %.3f)%n", r.training().rate(), minTraining,
                        r.paraphrase().rate(), minParaphrase);
                spec.commandLine().getErr().flush();
            }
            return enough ? 0 : 2;
        });
    }

    private static String format(FactsRecall.Score s) {
        return s == null ? "–" : String.format(Locale.ROOT, "%5.1f%% (%d/%d)", 100 * s.rate(), s.hits(), s.total());
    }
}
