package org.layerwise.modelselect.method;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real fine-tuning of the smallest sample model: the objective scores what evaluation scores, and training lowers it. */
class FineTuningTest {
    static Path model() {
        String override = System.getProperty("modelselect.testModel");
        return override != null ? Path.of(override)
                : GoldenClustersTest.locate("sample-data/model-select/models").resolve("gpt2-d32-l2-world");
    }

    static Path data(String name) {
        return GoldenClustersTest.locate("sample-data/model-select/data").resolve(name + ".tsv");
    }

    @Test
    void labelWordLossEqualsTheNegatedContinuationLogLikelihoodAndFallsWithTraining() throws Exception {
        LabelledData data = LabelledData.read(data("euro"));
        List<LabelledData.Item> items = data.train().subList(0, 6);
        double before;
        try (TransformerModel m = TransformerModel.load(model(), new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32));
             NDManager scope = NDManager.newBaseManager(); GradMode off = GradMode.off()) {
            LabelWordObjective objective = new LabelWordObjective(m);
            LabelWordObjective.Batch batch = LabelWordObjective.batch(m, items, data);
            double loss = objective.lossSum(scope, batch).getFloat();
            double expected = 0;
            long tokens = 0;
            for (LabelledData.Item it : items) {      // the independent path: scoreContinuations, one item at a time
                var score = m.scoreContinuations(it.text(), List.of(data.continuation(it.label()))).get(0);
                expected -= score.logProb();
                tokens += score.tokens();
            }
            assertEquals(expected, loss, 1e-3 * Math.abs(expected));
            assertEquals(tokens, objective.weight(batch));
            before = loss / tokens;
        }
        try (FineTuning ft = new FineTuning(Map.of("m", model()), new LabelledData(data.name(), data.labels(), items, items, items),
                FineTuning.Settings.defaults(), 3, null)) {
            double acc = 0;
            for (int e = 0; e < 3; e++) acc = ft.nextEpoch("m");
            assertTrue(acc >= 0 && acc <= 1);
            assertEquals(acc, ft.testAccuracy("m"), 1e-12);           // same items: test = validation at the final epoch
        }
        // a fresh load is the untouched checkpoint: fine-tuning worked on its own float32 copy
        try (TransformerModel m = TransformerModel.load(model(), new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32));
             NDManager scope = NDManager.newBaseManager(); GradMode off = GradMode.off()) {
            LabelWordObjective.Batch batch = LabelWordObjective.batch(m, items, data);
            assertEquals(before, new LabelWordObjective(m).lossSum(scope, batch).getFloat() / new LabelWordObjective(m).weight(batch), 1e-4);
        }
    }

    @Test
    void leepOfALanguageModelIsALogProbabilityAndAUniformSourceGivesTheLabelPrior() throws Exception {
        LabelledData all = LabelledData.read(data("target-company-continent"));
        LabelledData target = new LabelledData(all.name(), all.labels(), 
                java.util.stream.IntStream.range(0, all.train().size()).filter(i -> i % 3 == 0).mapToObj(all.train()::get).toList(),
                all.validation(), all.test());     // every third item: the file is ordered by company, so all labels occur
        List<String> source = List.of("Europe", "Asia", "Africa", "America", "yes", "no", "science", "art", "music", "tech");
        double leep = FineTuning.leep(model(), target, source);
        assertTrue(leep <= 1e-9 && Double.isFinite(leep), "LEEP is the mean log of a probability, got " + leep);
        // a source that predicts nothing (uniform θ) makes P̂(y|z) the label prior: LEEP = Σ_y p(y) log p(y)
        int n = target.train().size(), v = 50;
        int[] labels = target.train().stream().mapToInt(LabelledData.Item::label).toArray();
        int[] counts = new int[target.labels().size()];
        for (int y : labels) counts[y]++;
        double prior = 0;
        for (int c : counts) if (c > 0) prior += (double) c / n * Math.log((double) c / n);
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(prior, Leep.score(m.ones(new ai.djl.ndarray.types.Shape(n, v)).div(v), labels, counts.length), 1e-5);
        }
        assertTrue(Math.abs(leep - prior) > 1e-4, "the model's next-token distribution should carry some information: LEEP " + leep + ", prior " + prior);
    }
}
