package org.layerwise.engine.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RandomWeights;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.model.TransformerSpec;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.engine.tokenizer.SampleData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FactsRecallTest {

    @Test
    void batchedRecallAgreesWithOnePromptAtATime() throws Exception {
        Path tokenizerDir = SampleData.root().resolve("tokenizers/facts");
        List<FactRecord> all = FactWorld.readFacts(SampleData.root().resolve("world"));
        List<FactRecord> facts = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 74) {
            facts.add(all.get(i));      // a spread over every relation, prompts of many lengths
        }
        try (HfTokenizer probe = HfTokenizer.load(tokenizerDir)) {
            TransformerSpec spec = FactModelRecipe.standard(probe.vocabularySize()).get(2).spec().toBuilder()
                    .dModel(32).heads(2).kvHeads(1).headDim(16).rotary(TransformerSpec.RotaryStyle.HALF, 16, 10000)
                    .layers(1).mlp(TransformerSpec.MlpKind.GATED, TransformerSpec.Activation.SILU, 64, false).build();
            try (NDManager m = NDManager.newBaseManager()) {
                Map<String, NDArray> w = RandomWeights.create(spec, m, 7, 0.5f);
                try (TransformerModel model = TransformerModel.create(spec, w, HfTokenizer.load(tokenizerDir),
                        new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32), null, tokenizerDir)) {
                    FactsRecall.Result r = FactsRecall.measure(model, facts);
                    int hits = 0;
                    int total = 0;
                    List<String> missedPredictions = new ArrayList<>();
                    for (FactRecord f : facts) {
                        int expected = probe.encode(" " + f.object()).ids()[0];
                        for (String p : f.prompts()) {
                            int top = model.nextTokens(p, 1).get(0).id();
                            total++;
                            if (top == expected) hits++;
                            else missedPredictions.add(p + " → " + probe.decode(new int[] {top}));
                        }
                    }
                    assertThat(r.training().total()).isEqualTo(total);
                    assertThat(r.training().hits()).isEqualTo(hits);
                    assertThat(r.paraphrase().total()).isEqualTo(facts.size() * 2);
                    assertThat(r.misses().stream().filter(x -> !x.heldOut()).map(x -> x.prompt() + " → " + x.predicted()))
                            .containsExactlyElementsOf(missedPredictions);
                    assertThat(r.trainingByRelation().values().stream().mapToInt(FactsRecall.Score::total).sum()).isEqualTo(total);
                }
            }
        }
    }
}
