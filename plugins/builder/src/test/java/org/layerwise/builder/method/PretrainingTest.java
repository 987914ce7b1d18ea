package org.layerwise.builder.method;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.train.TrainingCheckpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pretraining a tiny composed model on a word-level corpus, end to end. */
public class PretrainingTest {
    public static final List<String> TINY = List.of("hidden_size=32", "layers_num=2", "heads_num=4", "feedforward_size=64",
            "max_seq_length=16", "batch_size=8", "learning_rate=1e-2", "min_learning_rate=1e-3", "warmup_steps=3",
            "total_steps=30", "eval_every=10", "checkpoint_every=10", "eval_fraction=0.1", "init_std=0.1");

    public static Path corpus(Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) lines.add(i % 2 == 0 ? "the eiffel tower is in paris ." : "rome is in rome .");
        return Files.write(dir.resolve("corpus.txt"), lines);
    }

    @Test
    void trainsAndSavesAFolderTheEngineOpens(@TempDir Path dir) throws Exception {
        ModelConfig c = ModelConfig.preset("llama").withOverrides(TINY).withOverrides(List.of("vocab_size=0", "kv_heads_num=2"));
        Path out = dir.resolve("model");
        Pretraining.Result r = Pretraining.run(new Pretraining.Request(c, corpus(dir), EngineMappingTest.TOKENIZER, out, false,
                LoadOptions.DeviceChoice.CPU), null);
        assertThat(r.steps()).isEqualTo(30);
        assertThat(r.evaluation().loss()).isLessThan(0.7);            // ln(10) ≈ 2.3 at the start
        assertThat(Files.readString(out.resolve(Pretraining.CONFIG_FILE))).contains("\"total_steps\" : 30");
        assertThat(TrainingCheckpoint.readState(Pretraining.checkpointDir(out)).step()).isEqualTo(30);
        try (TransformerModel m = TransformerModel.load(out, new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.KEEP))) {
            assertThat(m.spec().modelType()).isEqualTo("llama");
            assertThat(m.nextTokens("the eiffel tower is in", 1).get(0).token()).isEqualTo("paris");
        }
    }

    @Test
    void trainsABidirectionalEncoderWithMaskedLanguageModelling(@TempDir Path dir) throws Exception {
        ModelConfig c = ModelConfig.defaults().withOverrides(TINY)
                .withOverrides(List.of("mask=fully_visible", "target=mlm", "mask_token=[UNK]", "mask_fraction=0.3"));
        Path out = dir.resolve("encoder");
        Pretraining.Result r = Pretraining.run(new Pretraining.Request(c, corpus(dir), EngineMappingTest.TOKENIZER, out, false,
                LoadOptions.DeviceChoice.CPU), null);
        assertThat(r.evaluation().loss()).isLessThan(Math.log(10));
        try (TransformerModel m = TransformerModel.load(out, new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.KEEP))) {
            assertThat(m.spec().mask()).isEqualTo(org.layerwise.engine.model.TransformerSpec.MaskKind.BIDIRECTIONAL);
        }
        assertThatThrownBy(() -> Pretraining.run(new Pretraining.Request(c.with("mask_token", "[MASK]"), corpus(dir),
                EngineMappingTest.TOKENIZER, dir.resolve("e2"), false, LoadOptions.DeviceChoice.CPU), null))
                .hasMessageContaining("no single token '[MASK]'");
    }

    @Test
    void resumesFromTheCheckpointOfAnEarlierRun(@TempDir Path dir) throws Exception {
        ModelConfig c = ModelConfig.defaults().withOverrides(TINY).with("total_steps", "6");
        Path out = dir.resolve("model");
        Path corpus = corpus(dir);
        Pretraining.run(new Pretraining.Request(c, corpus, EngineMappingTest.TOKENIZER, out, false, LoadOptions.DeviceChoice.CPU), null);
        Pretraining.Result more = Pretraining.run(new Pretraining.Request(c.with("total_steps", "9"), corpus,
                EngineMappingTest.TOKENIZER, out, true, LoadOptions.DeviceChoice.CPU), null);
        assertThat(more.steps()).isEqualTo(9);
        assertThat(TrainingCheckpoint.readState(Pretraining.checkpointDir(out)).step()).isEqualTo(9);
        assertThat(Files.readString(out.resolve(Pretraining.CONFIG_FILE))).contains("\"total_steps\" : 9");
        assertThat(out.resolve("tokenizer.json")).exists();
    }

    @Test
    void refusesWhatItCannotTrain(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Pretraining.run(new Pretraining.Request(
                ModelConfig.defaults().withOverrides(List.of("encoder=lstm", "target=mlm", "mask=fully_visible")), corpus(dir),
                EngineMappingTest.TOKENIZER, dir.resolve("m"), false, LoadOptions.DeviceChoice.CPU), null))
                .isInstanceOf(NotTrainableException.class).hasMessageContaining("not trainable as configured");
        ModelConfig small = ModelConfig.defaults().withOverrides(TINY).with("vocab_size", "5");
        assertThatThrownBy(() -> Pretraining.run(new Pretraining.Request(small, corpus(dir), EngineMappingTest.TOKENIZER,
                dir.resolve("m"), false, LoadOptions.DeviceChoice.CPU), null)).hasMessageContaining("smaller than the tokenizer's 10 tokens");
        assertThat(dir.resolve("m")).doesNotExist();
    }
}
