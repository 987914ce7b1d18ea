package org.layerwise.builder.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.model.EncoderDecoderModel;
import org.layerwise.engine.model.EncoderDecoderSpec;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.engine.train.TrainingCheckpoint;
import org.layerwise.engine.train.TrainingExample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The t5-small preset (shrunk) as a trainable encoder-decoder: counts, examples, pretraining, generation. */
class Seq2SeqPretrainingTest {
    static final List<String> SHRUNK = List.of("hidden_size=32", "heads_num=2", "head_size=16", "feedforward_size=64",
            "layers_num=2", "decoder_layers_num=2", "max_seq_length=64", "vocab_size=0");
    private static final List<String> TRAIN = List.of("batch_size=8", "learning_rate=1e-2", "min_learning_rate=1e-3",
            "warmup_steps=3", "eval_every=10", "checkpoint_every=10", "eval_fraction=0.1", "mask_token=[UNK]",
            "weight_decay=0.0");
    private static final LoadOptions CPU = new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.KEEP);

    private static int threads;

    /**
     * One intra-op thread while these tiny models train (restored after): an encoder-decoder step is some thousand
     * small ops, and a thread pool that synchronises on each is 10-40x slower than one thread on a busy machine.
     */
    @BeforeAll
    static void oneThread() {
        ai.djl.engine.Engine.getInstance();
        threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
    }

    @AfterAll
    static void restoreThreads() {
        JniUtils.setNumThreads(threads);
    }

    static ModelConfig shrunkT5() {
        return ModelConfig.preset("t5-small").withOverrides(SHRUNK);
    }

    @Test
    void theShrunkT5SmallPresetHasTheBuildersCountAndSavesAsT5(@TempDir Path dir) throws Exception {
        ModelConfig c = shrunkT5();
        assertThat(EngineMapping.trainingProblems(c)).isEmpty();
        Files.copy(EngineMappingTest.TOKENIZER.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        try (NDManager m = NDManager.newBaseManager(); HfTokenizer tok = HfTokenizer.load(dir);
             EncoderDecoderModel model = (EncoderDecoderModel) Pretraining.newModel(c, 10, tok, dir, m, LoadOptions.DeviceChoice.CPU)) {
            assertThat(model.parameterCount()).as("engine count vs builder count").isEqualTo(ParameterCounts.of(c, 10).total());
            assertThat(model.spec().t5Compatible()).isTrue();
            model.save(dir.resolve("saved"));
            var config = new ObjectMapper().readTree(dir.resolve("saved/config.json").toFile());
            assertThat(config.get("model_type").asText()).isEqualTo("t5");
            assertThat(config.get("d_kv").asInt()).isEqualTo(16);
            assertThat(config.get("num_decoder_layers").asInt()).isEqualTo(2);
            assertThat(dir.resolve("saved/tokenizer.json")).exists();
            try (EncoderDecoderModel back = EncoderDecoderModel.load(dir.resolve("saved"), CPU)) {
                assertThat(back.parameters().keySet()).containsExactlyElementsOf(model.parameters().keySet())
                        .contains("shared.weight", "decoder.block.1.layer.1.EncDecAttention.q.weight",
                                "decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight");
                NDArray src = m.create(new long[] {2, 3, 4, 5}).reshape(1, 4);
                NDArray dec = m.create(new long[] {0, 7, 9}).reshape(1, 3);
                assertThat(back.forward(m, src, null, dec, null).toFloatArray())
                        .containsExactly(model.forward(m, src, null, dec, null).toFloatArray());
            }
        }
    }

    @Test
    void composedVariantsCountAsTheBuilderCounts(@TempDir Path dir) throws Exception {
        Files.copy(EngineMappingTest.TOKENIZER.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        List<List<String>> variants = List.of(
                List.of("layernorm=normal", "remove_transformer_bias=false", "feed_forward=gated", "hidden_act=gelu"),
                List.of("relative_position=false", "embedding=word,pos", "target_embedding=word,pos", "tie_weights=false", "lm_head_bias=true"),
                List.of("mask=causal", "remove_attention_bias=true", "remove_transformer_bias=false", "hidden_act=silu"));
        for (List<String> v : variants) {
            ModelConfig c = shrunkT5().withOverrides(v);
            try (NDManager m = NDManager.newBaseManager(); HfTokenizer tok = HfTokenizer.load(dir);
                 EncoderDecoderModel model = (EncoderDecoderModel) Pretraining.newModel(c, 10, tok, dir, m, LoadOptions.DeviceChoice.CPU)) {
                assertThat(model.parameterCount()).as(v.toString()).isEqualTo(ParameterCounts.of(c, 10).total());
                assertThat(model.spec().modelType()).isEqualTo(EncoderDecoderSpec.LAYERWISE);
            }
        }
    }

    @Test
    void whatTheEncoderDecoderDoesNotRunIsRefused() {
        assertThat(EngineMapping.trainingProblems(shrunkT5().with("parallel_residual", "true")))
                .anyMatch(s -> s.contains("parallel_residual"));
        assertThat(EngineMapping.trainingProblems(shrunkT5().with("kv_heads_num", "1"))).anyMatch(s -> s.contains("grouped-query"));
        assertThat(EngineMapping.trainingProblems(shrunkT5().withOverrides(List.of("target=lm,cls")))).anyMatch(s -> s.contains("target cls"));
        assertThat(EngineMapping.trainingProblems(shrunkT5().with("layernorm_positioning", "post"))).anyMatch(s -> s.contains("post-LN"));
    }

    @Test
    void spanCorruptionDropsAboutFifteenPercentInSpansThatTheTargetRestores() {
        int sentinel = 99;
        int[] tokens = new int[40];
        for (int i = 0; i < tokens.length; i++) tokens[i] = i;
        int[][] pair = Seq2SeqExamples.corrupt(tokens, new Random(3), sentinel);
        long spans = Arrays.stream(pair[0]).filter(t -> t == sentinel).count();
        assertThat(spans).isEqualTo(2);                              // round(round(40·0.15) / 3)
        assertThat(pair[1].length - spans).isEqualTo(6);              // round(40·0.15) noise tokens
        assertThat(Arrays.stream(pair[1]).filter(t -> t == sentinel).count()).isEqualTo(spans);
        // putting each span back in place of its sentinel gives the line again
        List<Integer> restored = new ArrayList<>();
        int t = 0;
        for (int s : pair[0]) {
            if (s != sentinel) { restored.add(s); continue; }
            t++;                                                       // the target's sentinel
            while (t < pair[1].length && pair[1][t] != sentinel) restored.add(pair[1][t++]);
        }
        assertThat(restored.stream().mapToInt(Integer::intValue).toArray()).containsExactly(tokens);
        assertThat(Seq2SeqExamples.corrupt(tokens, new Random(3), sentinel)[1]).containsExactly(pair[1]);
    }

    @Test
    void theCorpusGivesPairsAndCorruptedLines(@TempDir Path dir) throws Exception {
        Path corpus = Files.write(dir.resolve("c.txt"), List.of("the eiffel tower\tparis", "", "rome is in rome . the eiffel tower is in paris ."));
        try (HfTokenizer tok = HfTokenizer.load(EngineMappingTest.TOKENIZER)) {
            ModelConfig c = shrunkT5().withOverrides(TRAIN);
            List<TrainingExample> ex = Pretraining.examples(c, corpus, tok);
            assertThat(ex).hasSize(2);
            assertThat(ex.get(0).tokens()).containsExactly(2, 3, 4);
            assertThat(ex.get(0).target()).containsExactly(7);
            assertThat(ex.get(1).target()[0]).isEqualTo(0);           // [UNK] is the sentinel here
            assertThat(ex.get(1).tokens().length + ex.get(1).target().length).isEqualTo(12 + 2 * 1);           // 12 tokens, 1 span
            assertThatThrownBy(() -> Pretraining.examples(c.with("mask_token", "<extra_id_0>"), corpus, tok))
                    .hasMessageContaining("no single token '<extra_id_0>'");
        }
    }

    @Test
    void pretrainsTheShrunkT5SmallPresetAndTheFolderLoadsAgain(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++)
            lines.add(i % 2 == 0 ? "the eiffel tower is in paris . rome is in rome ." : "rome is in rome . the eiffel tower is in paris .");
        Path corpus = Files.write(dir.resolve("corpus.txt"), lines);
        ModelConfig c = shrunkT5().withOverrides(TRAIN).with("total_steps", "30");
        Path out = dir.resolve("t5");
        List<Double> losses = new ArrayList<>();
        Pretraining.Result r = Pretraining.run(new Pretraining.Request(c, corpus, EngineMappingTest.TOKENIZER, out, false,
                LoadOptions.DeviceChoice.CPU), recording(losses));
        assertThat(r.steps()).isEqualTo(30);
        double first = losses.subList(0, 3).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = losses.subList(losses.size() - 3, losses.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(last).as("mean loss of the last 3 steps vs the first 3").isLessThan(first * 0.75);
        assertThat(r.evaluation().loss()).isLessThan(Math.log(10));
        assertThat(r.parameters()).isEqualTo(ParameterCounts.of(c, 10).total());
        try (EncoderDecoderModel m = EncoderDecoderModel.load(out, CPU)) {
            assertThat(m.spec().modelType()).isEqualTo("t5");
        }
        // resuming dispatches the checkpoint's model folder to the encoder-decoder loader
        Pretraining.Result more = Pretraining.run(new Pretraining.Request(c.with("total_steps", "33"), corpus,
                EngineMappingTest.TOKENIZER, out, true, LoadOptions.DeviceChoice.CPU), null);
        assertThat(more.steps()).isEqualTo(33);
        assertThat(TrainingCheckpoint.readState(Pretraining.checkpointDir(out)).step()).isEqualTo(33);
    }

    @Test
    void greedyGenerationReproducesAnOverfittedTarget(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            lines.add("the eiffel tower\tis in paris .");
            lines.add("rome\tis in rome .");
            lines.add("tower is\tparis the rome");
        }
        Path corpus = Files.write(dir.resolve("pairs.txt"), lines);
        ModelConfig c = shrunkT5().withOverrides(TRAIN).withOverrides(List.of("total_steps=40", "eval_fraction=0",
                "warmup_steps=5", "decay=constant", "batch_size=6"));
        Path out = dir.resolve("pairs");
        Pretraining.Result r = Pretraining.run(new Pretraining.Request(c, corpus, EngineMappingTest.TOKENIZER, out, false,
                LoadOptions.DeviceChoice.CPU), null);
        assertThat(r.lastLoss()).isLessThan(0.3);
        try (EncoderDecoderModel m = EncoderDecoderModel.load(out, CPU)) {
            assertThat(m.generate("the eiffel tower", 4)).isEqualTo("is in paris .");
            assertThat(m.generate("rome", 4)).isEqualTo("is in rome .");
            assertThat(m.generate("tower is", 3)).isEqualTo("paris the rome");
        }
    }

    /** A job context that keeps the per-step losses. */
    private static org.layerwise.engine.jobs.JobContext recording(List<Double> losses) {
        return new org.layerwise.engine.jobs.JobContext() {
            @Override public void progress(double fraction, String message) {}
            @Override public void metric(String name, long step, double value) { if (name.equals("loss")) losses.add(value); }
            @Override public void log(String line) {}
            @Override public void trace(String kind, String json) {}
            @Override public Path artifact(String name, Path file) { return file; }
            @Override public boolean isCancelled() { return false; }
            @Override public long runId() { return -1; }
        };
    }
}
