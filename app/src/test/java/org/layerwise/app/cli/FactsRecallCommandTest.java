package org.layerwise.app.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.data.FactModelRecipe;
import org.layerwise.engine.data.FactWorld;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RandomWeights;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.model.TransformerSpec;
import org.layerwise.engine.tokenizer.HfTokenizer;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FactsRecallCommandTest {

    private static Path sampleData() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("sample-data/world"))) return p.resolve("sample-data");
        }
        throw new IllegalStateException("no sample-data/world above " + Path.of("").toAbsolutePath());
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cmd = new CommandLine(new FactsRecallCommand());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    @Test
    void printsRecallPerRelationAndFailsBelowTheRequiredRate(@TempDir Path tmp) throws Exception {
        Path tokenizerDir = sampleData().resolve("tokenizers/facts");
        // a small world: the first three facts of the sample world (capitals: 9 training templates each)
        List<String> lines = Files.readAllLines(sampleData().resolve("world").resolve(FactWorld.FACTS_FILE)).subList(0, 3);
        Path world = Files.createDirectories(tmp.resolve("world"));
        Files.write(world.resolve(FactWorld.FACTS_FILE), lines);
        Path modelDir = tmp.resolve("model");
        try (HfTokenizer t = HfTokenizer.load(tokenizerDir); NDManager m = NDManager.newBaseManager()) {
            TransformerSpec spec = FactModelRecipe.standard(t.vocabularySize()).get(2).spec().toBuilder()
                    .dModel(32).heads(2).kvHeads(1).headDim(16).rotary(TransformerSpec.RotaryStyle.HALF, 16, 10000).layers(1)
                    .mlp(TransformerSpec.MlpKind.GATED, TransformerSpec.Activation.SILU, 64, false).build();
            try (TransformerModel model = TransformerModel.create(spec, RandomWeights.create(spec, m, 3, 0.5f),
                    HfTokenizer.load(tokenizerDir), new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32),
                    null, tokenizerDir)) {
                model.save(modelDir);
            }
        }
        String[] r = run("--model", modelDir.toString(), "--world", world.toString(), "--misses", "2");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("capital").contains("all").contains("/27)").contains("/6)").contains("miss");
        String[] strict = run("--model", modelDir.toString(), "--world", world.toString(), "--min-training", "1.01");
        assertThat(strict[0]).isEqualTo("2");
        assertThat(strict[2]).contains("below the required recall");
        String[] json = run("--model", modelDir.toString(), "--world", world.toString(), "--json");
        JsonNode n = new ObjectMapper().readTree(json[1]);
        assertThat(n.path("training").path("total").asInt()).isEqualTo(27);
        assertThat(n.path("paraphrase").path("total").asInt()).isEqualTo(6);
        assertThat(n.has("training_rate")).isTrue();
    }

    @Test
    void missingWorldIsOneClearLine(@TempDir Path tmp) {
        String[] r = run("--model", tmp.toString(), "--world", tmp.resolve("nowhere").toString());
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("facts-recall:").contains("no facts.jsonl");
    }
}
