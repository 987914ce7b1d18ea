package org.layerwise.builder.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.builder.method.PretrainingTest;
import org.layerwise.engine.runs.RunQuery;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.SqliteRunStore;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PretrainCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new PretrainCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void checkPrintsCountsAndSaysWhatCannotTrain() {
        assertThat(run("--check", "--preset", "t5-small")).isZero();
        assertThat(out.toString()).contains("decoder").contains("60,506,624").contains("trainable: yes");
        assertThat(run("--check", "--preset", "t5-small", "--set", "kv_heads_num=4")).isZero();
        assertThat(out.toString()).contains("not trainable as configured: grouped-query attention");
    }

    @Test
    void badSettingsGiveOneLineAndExitCodeOne(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("c.json"), "{\"heads_num\": 3}");
        assertThat(run("--check", "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString().trim()).isEqualTo("pretrain: hidden_size 256 is not divisible by heads_num 3; change one of them or set head_size");
    }

    @Test
    void aMissingCorpusIsOneLine(@TempDir Path dir) {
        assertThat(run("--corpus", dir.resolve("nope.txt").toString(), "--tokenizer", "src/test/resources/tokenizer",
                "--out", dir.resolve("m").toString(), "--data-dir", dir.resolve("data").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("pretrain: Corpus ").contains("nope.txt is not a file");
        assertThat(run("--check", "--preset", "bert", "--set", "mask=causal")).isEqualTo(1);
        assertThat(err.toString()).contains("target mlm predicts masked tokens from both sides");
    }

    @Test
    void pretrainsAndRecordsARun(@TempDir Path dir) throws Exception {
        Path corpus = PretrainingTest.corpus(dir);
        List<String> args = new ArrayList<>(List.of("--preset", "gpt2", "--corpus", corpus.toString(), "--tokenizer",
                "src/test/resources/tokenizer/tokenizer.json", "--out", dir.resolve("gpt2-tiny").toString(), "--steps", "12",
                "--data-dir", dir.resolve("data").toString(), "--device", "cpu"));
        for (String s : PretrainingTest.TINY) { args.add("--set"); args.add(s); }
        args.addAll(List.of("--set", "vocab_size=0"));
        assertThat(run(args.toArray(String[]::new))).as(err.toString()).isZero();
        assertThat(out.toString()).contains("saved").contains("12 steps");
        assertThat(err.toString()).contains("100%");
        assertThat(dir.resolve("gpt2-tiny/model.safetensors")).exists();
        try (SqliteRunStore store = SqliteRunStore.open(dir.resolve("data"))) {
            List<RunRecord> runs = store.list(RunQuery.all());
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(store.metrics(runs.get(0).id())).anyMatch(p -> p.name().equals("loss"))
                    .anyMatch(p -> p.name().equals("eval_loss")).anyMatch(p -> p.name().equals("tokens_per_s"));
        }
    }
}
