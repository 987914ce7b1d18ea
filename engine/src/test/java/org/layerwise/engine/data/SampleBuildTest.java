package org.layerwise.engine.data;

import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.tokenizer.Encoding;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.engine.tokenizer.SampleData;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SampleBuildTest {

    @Test
    void committedFactsTokenizerSplitsTheWorldExactlyAsGpt2(@TempDir Path dir) throws Exception {
        Path sample = SampleData.root();
        FactWorld world = FactWorld.standard(sample.resolve("facts"), SampleBuild.WORLD_SEED);
        List<String> texts = new ArrayList<>(world.trainingSentences());
        for (FactRecord r : world.factRecords()) {
            texts.addAll(r.paraphrases());
            texts.add(" " + r.object());
        }
        try (HfTokenizer gpt2 = HfTokenizer.load(sample.resolve("tokenizers/gpt2"));
             HfTokenizer facts = HfTokenizer.load(sample.resolve("tokenizers/facts"))) {
            assertThat(facts.vocabularySize()).isLessThan(3000);
            for (String text : texts) {
                Encoding a = gpt2.encode(text);
                Encoding b = facts.encode(text);
                assertThat(b.tokens()).as(text).containsExactly(a.tokens());
            }
        }
        // and the committed file is what the builder derives now
        Files.createDirectories(dir.resolve("tokenizers"));
        Files.copy(sample.resolve("tokenizers/gpt2"), dir.resolve("tokenizers/gpt2"));
        Files.copy(sample.resolve("tokenizers/gpt2/tokenizer.json"), dir.resolve("tokenizers/gpt2/tokenizer.json"));
        SampleBuild build = new SampleBuild(dir, new PrintStream(OutputStream.nullOutputStream()));
        build.buildFactsTokenizer(world);
        JsonMapper json = new JsonMapper();
        assertThat(json.readTree(build.factsTokenizer().toFile()))
                .isEqualTo(json.readTree(sample.resolve("tokenizers/facts/tokenizer.json").toFile()));
    }
}
