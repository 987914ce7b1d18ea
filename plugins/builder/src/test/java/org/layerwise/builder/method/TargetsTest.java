package org.layerwise.builder.method;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TrainableModel;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.engine.model.TransformerSpec;
import org.layerwise.engine.train.MlmHead;
import org.layerwise.engine.train.SentenceClassificationObjective;
import org.layerwise.engine.train.TokenBatch;
import org.layerwise.engine.train.TrainingCheckpoint;
import org.layerwise.engine.train.TrainingExample;
import org.layerwise.engine.train.TrainingObjective;
import org.layerwise.engine.train.WithTargetHeads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cls and sp targets and several targets at once, trained through the builder's pretraining. */
public class TargetsTest {
    public static final Path TOKENIZER = Path.of("src/test/resources/tokenizer-bert");
    private static final int CLS = 1, SEP = 2;
    /** The test tokenizer's six topics of four words. */
    private static final String[][] TOPICS = {
            {"cat", "dog", "horse", "cow"}, {"red", "blue", "green", "yellow"}, {"bread", "cheese", "apple", "soup"},
            {"rain", "snow", "wind", "sun"}, {"piano", "violin", "drum", "flute"}, {"ball", "goal", "team", "race"}};
    private static final String[] TOPIC_NAMES = {"animals", "colours", "food", "weather", "music", "sport"};

    private static String sentence(SplittableRandom r, int topic) {
        List<String> words = new ArrayList<>();
        for (int k = 0, n = 3 + r.nextInt(3); k < n; k++) words.add(TOPICS[topic][r.nextInt(4)]);
        return String.join(" ", words);
    }

    /** Six documents, one topic each, of 16 sentences: the next sentence shares A's topic, another document's does not. */
    public static Path documents(Path dir) throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        List<String> lines = new ArrayList<>();
        for (int d = 0; d < 6; d++) {
            if (d > 0) lines.add("");
            for (int i = 0; i < 16; i++) lines.add(sentence(r, d));
        }
        return Files.write(dir.resolve("documents.txt"), lines);
    }

    public static ModelConfig encoder(String targets) {
        return ModelConfig.defaults().withOverrides(PretrainingTest.TINY).withOverrides(List.of("mask=fully_visible",
                "target=" + targets, "mask_token=[MASK]", "vocab_size=0", "total_steps=60", "eval_every=20", "checkpoint_every=60", "batch_size=16", "learning_rate=3e-3", "warmup_steps=6"));
    }

    @Test
    void sentencePairsAreSeededBalancedAndSegmented(@TempDir Path dir) throws Exception {
        Path corpus = documents(dir);
        List<String> lines = Files.readAllLines(corpus);
        ModelConfig c = encoder("mlm,sp");
        try (HfTokenizer tok = HfTokenizer.load(TOKENIZER)) {
            List<TrainingExample> pairs = Pretraining.examples(c, corpus, tok);
            List<TrainingExample> again = Pretraining.examples(c, corpus, tok);
            assertThat(pairs).hasSize(6 * 15);
            long positives = 0;
            for (int i = 0; i < pairs.size(); i++) {
                TrainingExample e = pairs.get(i);
                assertThat(e.tokens()).isEqualTo(again.get(i).tokens());
                assertThat(e.label()).isEqualTo(again.get(i).label()).isIn(0, 1);
                positives += e.label();
                int[] t = e.tokens(), s = e.segments();
                int firstSep = Arrays.stream(t).boxed().toList().indexOf(SEP);
                // [CLS] A [SEP] B [SEP], segment 1 through the first [SEP], 2 after it
                assertThat(t[0]).isEqualTo(CLS);
                assertThat(t[t.length - 1]).isEqualTo(SEP);
                for (int k = 0; k < t.length; k++) assertThat(s[k]).isEqualTo(k <= firstSep ? 1 : 2);
                String a = tok.decode(Arrays.copyOfRange(t, 1, firstSep)), b = tok.decode(Arrays.copyOfRange(t, firstSep + 1, t.length - 1));
                int at = lines.indexOf(a);
                assertThat(at).as("sentence A is a corpus line").isNotNegative();
                boolean follows = at + 1 < lines.size() && lines.get(at + 1).equals(b);
                boolean sameTopic = TOPICS[topic(a)] == TOPICS[topic(b)];
                if (e.label() == 1) assertThat(follows).as("B follows A").isTrue();
                else assertThat(sameTopic).as("B comes from another document").isFalse();
            }
            assertThat((double) positives / pairs.size()).isBetween(0.4, 0.6);
            List<TrainingExample> other = Pretraining.examples(c.with("seed", "7"), corpus, tok);
            assertThat(other.stream().mapToInt(TrainingExample::label).toArray())
                    .isNotEqualTo(pairs.stream().mapToInt(TrainingExample::label).toArray());
        }
        Path oneDocument = Files.write(dir.resolve("one.txt"), List.of("cat dog", "dog cow"));
        try (HfTokenizer tok = HfTokenizer.load(TOKENIZER)) {
            assertThatThrownBy(() -> Pretraining.examples(c, oneDocument, tok)).hasMessageContaining("at least 2 documents");
        }
    }

    private static int topic(String sentence) {
        String w = sentence.split(" ")[0];
        for (int k = 0; k < TOPICS.length; k++) if (Arrays.asList(TOPICS[k]).contains(w)) return k;
        throw new AssertionError(sentence);
    }

    /** Records every metric. */
    static final class Metrics implements JobContext {
        final Map<String, Map<Long, Double>> values = new LinkedHashMap<>();
        @Override public void progress(double fraction, String message) {}
        @Override public void metric(String name, long step, double value) { values.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(step, value); }
        @Override public void log(String line) {}
        @Override public void trace(String kind, String json) {}
        @Override public Path artifact(String name, Path file) { return file; }
        @Override public boolean isCancelled() { return false; }
        @Override public long runId() { return -1; }

        double mean(String name, long from, long to) {
            double s = 0;
            for (long i = from; i <= to; i++) s += values.get(name).get(i);
            return s / (to - from + 1);
        }
    }

    @Test
    void masksAndPredictsSentencesAtOnceAndTheSavedHeadsLoadAgain(@TempDir Path dir) throws Exception {
        ModelConfig c = encoder("mlm,sp");
        Path out = dir.resolve("bert-tiny");
        Metrics ctx = new Metrics();
        Pretraining.Result r = Pretraining.run(new Pretraining.Request(c, documents(dir), TOKENIZER, out, false,
                LoadOptions.DeviceChoice.CPU), ctx);
        assertThat(ctx.values).containsKeys("loss_mlm", "loss_sp", "acc_sp", "eval_loss_mlm", "eval_loss_sp", "eval_acc_sp");
        double mlmStart = ctx.mean("loss_mlm", 1, 5), mlmEnd = ctx.mean("loss_mlm", 56, 60);
        double spStart = ctx.mean("loss_sp", 1, 5), spEnd = ctx.mean("loss_sp", 56, 60);
        System.out.printf("mlm %.3f -> %.3f, sp %.3f -> %.3f, train acc_sp %.2f, held-out acc_sp %.2f%n", mlmStart, mlmEnd, spStart, spEnd,
                ctx.mean("acc_sp", 56, 60), ctx.values.get("eval_acc_sp").get(60L));
        assertThat(mlmEnd).as("mlm loss").isLessThan(0.8 * mlmStart);
        assertThat(spEnd).as("sp loss").isLessThan(0.8 * spStart);
        assertThat(out.resolve(WithTargetHeads.FILE)).exists();
        assertThat(r.parameters()).isEqualTo(ParameterCounts.of(c, 28).total());

        // the saved folder and the last checkpoint's model hold the same weights: same sp logits and mlm loss
        try (HfTokenizer tok = HfTokenizer.load(out); NDManager m = NDManager.newBaseManager();
             TrainableModel saved = Pretraining.loadModel(out, LoadOptions.DeviceChoice.CPU);
             TrainableModel checkpoint = Pretraining.loadModel(TrainingCheckpoint.modelDirectory(Pretraining.checkpointDir(out)), LoadOptions.DeviceChoice.CPU)) {
            assertThat(saved).isInstanceOf(WithTargetHeads.class);
            assertThat(((WithTargetHeads) saved).mlmHead()).as("mlm's transform head").isNotNull();
            assertThat(((WithTargetHeads) saved).classes()).isEqualTo(Map.of("sp", 2));
            assertThat(saved.parameterCount()).isEqualTo(ParameterCounts.of(c, 28).total());
            TokenBatch batch = TokenBatch.of(Pretraining.examples(c, documents(dir), tok).subList(0, 8), 0);
            float[] a = spLogits(saved, batch, m), b = spLogits(checkpoint, batch, m);
            assertThat(a).containsExactly(b);
            try (GradMode off = GradMode.off(); NDManager scope = m.newSubManager()) {
                assertThat(Pretraining.objective(c, saved, tok).lossSum(scope, batch).getFloat())
                        .isEqualTo(Pretraining.objective(c, checkpoint, tok).lossSum(scope, batch).getFloat());
            }
        }
    }

    @Test
    void resumesWithTheHeadsOfTheCheckpoint(@TempDir Path dir) throws Exception {
        ModelConfig c = encoder("mlm,sp").withOverrides(List.of("total_steps=3", "checkpoint_every=3", "eval_fraction=0"));
        Path out = dir.resolve("m"), corpus = documents(dir);
        Pretraining.run(new Pretraining.Request(c, corpus, TOKENIZER, out, false, LoadOptions.DeviceChoice.CPU), null);
        Pretraining.Result more = Pretraining.run(new Pretraining.Request(c.with("total_steps", "5"), corpus, TOKENIZER, out, true,
                LoadOptions.DeviceChoice.CPU), null);
        assertThat(more.steps()).isEqualTo(5);
        assertThat(out.resolve(WithTargetHeads.FILE)).exists();
        // a checkpoint whose heads do not fit the config is refused by name
        assertThatThrownBy(() -> Pretraining.run(new Pretraining.Request(c.with("target", "mlm,cls").with("labels_num", "3")
                .with("total_steps", "7"), labelled(dir), TOKENIZER, out, true, LoadOptions.DeviceChoice.CPU), null))
                .hasMessageContaining("target cls has 3 classes, but the model's heads are {sp=2}");
    }

    @Test
    void mlmPredictsThroughItsTransformHeadWhichSavesAndIsRequired(@TempDir Path dir) throws Exception {
        ModelConfig c = encoder("mlm");
        Path out = dir.resolve("mlm"), corpus = documents(dir);
        Metrics ctx = new Metrics();
        Pretraining.Result r = Pretraining.run(new Pretraining.Request(c, corpus, TOKENIZER, out, false, LoadOptions.DeviceChoice.CPU), ctx);
        double start = ctx.mean("loss", 1, 5), end = ctx.mean("loss", 56, 60);
        System.out.printf("mlm through the head: loss %.3f -> %.3f%n", start, end);
        assertThat(end).as("mlm loss").isLessThan(0.8 * start);
        assertThat(r.parameters()).isEqualTo(ParameterCounts.of(c, 28).total());

        Path again = dir.resolve("again");
        try (HfTokenizer tok = HfTokenizer.load(out); NDManager m = NDManager.newBaseManager();
             TrainableModel saved = Pretraining.loadModel(out, LoadOptions.DeviceChoice.CPU)) {
            WithTargetHeads w = (WithTargetHeads) saved;
            assertThat(w.classes()).isEmpty();
            assertThat(w.mlmHead().settings()).isEqualTo(new MlmHead.Settings(TransformerSpec.Activation.GELU_NEW, 1e-5));  // defaults' hidden_act, layernorm_eps
            assertThat(saved.parameters()).containsKeys(MlmHead.NAMES);
            assertThat(saved.parameterCount()).isEqualTo(r.parameters());
            TokenBatch batch = TokenBatch.of(Pretraining.examples(c, corpus, tok).subList(0, 8), 0);
            saved.save(again);
            try (TrainableModel reloaded = Pretraining.loadModel(again, LoadOptions.DeviceChoice.CPU);
                 GradMode off = GradMode.off(); NDManager scope = m.newSubManager()) {
                float[] a = mlmLogits(saved, batch, scope), b = mlmLogits(reloaded, batch, scope);
                assertThat(a).containsExactly(b);
                // the head is applied: its logits are not the bare output layer's
                WithTargetHeads x = (WithTargetHeads) saved;
                assertThat(a).isNotEqualTo(x.model().logits(scope, x.hidden(scope, batch.ids(scope), batch.mask(scope), null)).toFloatArray());
                assertThat(Pretraining.objective(c, reloaded, tok).lossSum(scope, batch).getFloat())
                        .isEqualTo(Pretraining.objective(c, saved, tok).lossSum(scope, batch).getFloat());
            }
            // a folder saved without the head (as before the head was built) is refused for target mlm
            try (TrainableModel bare = org.layerwise.engine.model.TransformerModel.load(out,
                    new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32))) {
                assertThatThrownBy(() -> Pretraining.objective(c, bare, tok)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("Target mlm predicts through its MLM head (target.mlm.*), but the model")
                        .hasMessageContaining("start a new run");
            }
        }
        // resuming from a checkpoint whose heads file is gone says so
        Files.delete(TrainingCheckpoint.modelDirectory(Pretraining.checkpointDir(out)).resolve(WithTargetHeads.FILE));
        assertThatThrownBy(() -> Pretraining.run(new Pretraining.Request(c.with("total_steps", "62"), corpus, TOKENIZER, out, true,
                LoadOptions.DeviceChoice.CPU), null)).hasMessageContaining("Target mlm predicts through its MLM head");
    }

    private static float[] mlmLogits(TrainableModel model, TokenBatch batch, NDManager scope) {
        WithTargetHeads w = (WithTargetHeads) model;
        return w.mlmHead().logits(scope, w.hidden(scope, batch.ids(scope), batch.mask(scope), null)).toFloatArray();
    }

    private static float[] spLogits(TrainableModel model, TokenBatch batch, NDManager m) {
        WithTargetHeads w = (WithTargetHeads) model;
        try (GradMode off = GradMode.off(); NDManager scope = m.newSubManager()) {
            var ids = batch.ids(scope);
            var pooled = w.hidden(scope, ids, batch.mask(scope), batch.segments(scope)).get(":, 0, :");
            return w.head("sp").logits(pooled).toFloatArray();
        }
    }

    static Path labelled(Path dir) throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 72; i++) {
            int topic = i % 3;
            lines.add(TOPIC_NAMES[topic] + "\t" + sentence(r, topic));
        }
        return Files.write(dir.resolve("labelled.txt"), lines);
    }

    @Test
    void classifiesALabelledCorpusWithACausalModel(@TempDir Path dir) throws Exception {
        ModelConfig c = ModelConfig.defaults().withOverrides(PretrainingTest.TINY)
                .withOverrides(List.of("target=cls", "labels_num=3", "vocab_size=0", "total_steps=40", "eval_fraction=0"));
        Path corpus = labelled(dir), out = dir.resolve("classifier");
        Metrics ctx = new Metrics();
        Pretraining.run(new Pretraining.Request(c, corpus, TOKENIZER, out, false, LoadOptions.DeviceChoice.CPU), ctx);
        assertThat(new ObjectMapper().readTree(out.resolve(TargetExamples.LABELS_FILE).toFile()).get("labels").toString())
                .isEqualTo("[\"animals\",\"colours\",\"food\"]");
        try (HfTokenizer tok = HfTokenizer.load(out); NDManager m = NDManager.newBaseManager();
             TrainableModel model = Pretraining.loadModel(out, LoadOptions.DeviceChoice.CPU)) {
            assertThat(model.parameterCount()).isEqualTo(ParameterCounts.of(c, 28).total());
            TrainingObjective<TokenBatch> objective = Pretraining.objective(c, model, tok);
            List<TrainingExample> examples = Pretraining.examples(c, corpus, tok);
            int right = 0;
            try (NDManager scope = m.newSubManager()) {
                for (int from = 0; from < examples.size(); from += 24) {
                    TokenBatch batch = TokenBatch.of(examples.subList(from, from + 24), -1);
                    int[] predicted = ((SentenceClassificationObjective) objective).predictions(scope, batch);
                    for (int i = 0; i < predicted.length; i++) if (predicted[i] == batch.labels()[i]) right++;
                }
            }
            System.out.printf("cls training accuracy %.3f (last-step train acc %.2f)%n", (double) right / examples.size(),
                    ctx.values.get("acc_cls").get(40L));
            assertThat((double) right / examples.size()).isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void modelsTheTextAndClassifiesItAtOnce(@TempDir Path dir) throws Exception {
        ModelConfig c = ModelConfig.defaults().withOverrides(PretrainingTest.TINY)
                .withOverrides(List.of("target=lm,cls", "labels_num=3", "vocab_size=0", "total_steps=30"));
        Metrics ctx = new Metrics();
        Pretraining.Result r = Pretraining.run(new Pretraining.Request(c, labelled(dir), TOKENIZER, dir.resolve("m"), false,
                LoadOptions.DeviceChoice.CPU), ctx);
        assertThat(ctx.values).containsKeys("loss_lm", "loss_cls", "acc_cls", "eval_loss_lm", "eval_loss_cls", "eval_acc_cls");
        assertThat(ctx.mean("loss_lm", 26, 30)).isLessThan(ctx.mean("loss_lm", 1, 5));
        assertThat(ctx.mean("loss_cls", 26, 30)).isLessThan(ctx.mean("loss_cls", 1, 5));
        assertThat(r.parameters()).isEqualTo(ParameterCounts.of(c, 28).total());
    }

    @Test
    void badLabelledLinesAreNamed(@TempDir Path dir) throws Exception {
        ModelConfig c = ModelConfig.defaults().withOverrides(List.of("target=cls", "labels_num=2"));
        Path noTab = Files.write(dir.resolve("a.txt"), List.of("pos\tcat dog", "", "neg cat dog"));
        Path tooMany = Files.write(dir.resolve("b.txt"), List.of("pos\tcat", "neg\tdog", "pos\tcow", "odd\tred"));
        Path outside = Files.write(dir.resolve("c.txt"), List.of("0\tcat", "1\tdog", "2\tcow"));
        try (HfTokenizer tok = HfTokenizer.load(TOKENIZER)) {
            assertThatThrownBy(() -> Pretraining.examples(c, noTab, tok)).hasMessageContaining("a.txt line 3")
                    .hasMessageContaining("label<TAB>text, but there is no tab in 'neg cat dog'");
            assertThatThrownBy(() -> Pretraining.examples(c, tooMany, tok)).hasMessageContaining("b.txt line 4")
                    .hasMessageContaining("label 'odd' is distinct label number 3, but labels_num is 2");
            assertThatThrownBy(() -> Pretraining.examples(c, outside, tok)).hasMessageContaining("c.txt line 3: label 2 is outside the 2 classes");
            List<TrainingExample> named = Pretraining.examples(c, Files.write(dir.resolve("d.txt"), List.of("pos\tcat", "neg\tdog")), tok);
            assertThat(named.stream().mapToInt(TrainingExample::label).toArray()).containsExactly(1, 0);   // neg < pos
        }
    }

    @Test
    void impossibleCombinationsAreRefusedWithAReason() {
        assertThat(EngineMapping.trainingProblems(encoder("mlm,sp"))).isEmpty();
        assertThat(EngineMapping.trainingProblems(ModelConfig.defaults().with("target", "lm,cls"))).isEmpty();
        assertThat(EngineMapping.trainingProblems(ModelConfig.defaults().with("target", "cls,sp")))
                .anyMatch(s -> s.contains("cls and sp together"));
        assertThat(EngineMapping.trainingProblems(ModelConfig.defaults().with("target", "lm,mlm")))
                .anyMatch(s -> s.contains("lm and mlm together on one stack"));
        assertThat(EngineMapping.trainingProblems(ModelConfig.defaults().with("target", "lm").with("mask", "fully_visible")))
                .anyMatch(s -> s.contains("target lm with mask fully_visible"));
        assertThat(ModelConfig.defaults().with("pooling", "max").problems()).anyMatch(s -> s.contains("pooling 'max' is not a choice"));
    }
}
