package org.layerwise.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.tokenizer.SampleData;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped sample fact models open in the engine and answer as their TRAINING.json says. */
class SampleModelsTest {

    @Test
    void builtModelsReproduceTheirRecordedCapitalRecall() throws Exception {
        Path models = SampleData.root().resolve("models");
        List<Path> built;
        try (Stream<Path> s = Files.list(models)) {
            // fact models only: the encoder and the NLU models have cards too but no fact recall
            built = s.filter(d -> d.getFileName().toString().startsWith("facts-")
                    && Files.isRegularFile(d.resolve(ModelCard.CARD_FILE))
                    && Files.isRegularFile(d.resolve(ModelCard.TRAINING_FILE))).sorted().toList();
        }
        // only folders written by build-samples (with a MODEL_CARD.md) record their recall
        Assumptions.assumeFalse(built.isEmpty(), "no model built by SampleBuild in " + models);
        List<FactRecord> capitals = FactWorld.readFacts(SampleData.root().resolve("world")).stream()
                .filter(f -> f.relation().equals("capital")).toList();
        for (Path dir : built) {
            JsonNode training = new JsonMapper().readTree(dir.resolve(ModelCard.TRAINING_FILE).toFile());
            try (TransformerModel model = TransformerModel.load(dir, new LoadOptions(LoadOptions.DeviceChoice.CPU,
                    LoadOptions.DtypeChoice.KEEP))) {
                assertThat(model.dtype()).isEqualTo("float16");
                assertThat(model.spec().layers()).isGreaterThanOrEqualTo(6);
                FactsRecall.Result r = FactsRecall.measure(model, capitals);
                JsonNode recorded = training.path("recall_by_relation").path("capital");
                assertThat(r.training().rate()).as(dir + " capital, training prompts")
                        .isEqualTo(recorded.path("training").asDouble());
                assertThat(r.paraphrase().rate()).as(dir + " capital, paraphrases")
                        .isEqualTo(recorded.path("paraphrase").asDouble());
            }
        }
    }
}
