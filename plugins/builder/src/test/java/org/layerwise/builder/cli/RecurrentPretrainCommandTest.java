package org.layerwise.builder.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.builder.method.PretrainingTest;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RecurrentModel;
import org.layerwise.engine.runs.MetricPoint;
import org.layerwise.engine.runs.RunQuery;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.SqliteRunStore;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code layerwise pretrain --set encoder=lstm|gru}: trains the recurrent model, the loss falls, the folder reopens and resumes. */
class RecurrentPretrainCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(List<String> args) {
        CommandLine cl = new CommandLine(new PretrainCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args.toArray(String[]::new));
    }

    private static List<String> args(Path dir, Path corpus, String encoder, int steps) {
        List<String> args = new ArrayList<>(List.of("--corpus", corpus.toString(), "--tokenizer", "src/test/resources/tokenizer",
                "--out", dir.resolve(encoder).toString(), "--steps", String.valueOf(steps), "--data-dir", dir.resolve("data").toString(),
                "--device", "cpu", "--set", "encoder=" + encoder));
        for (String s : PretrainingTest.TINY) { args.add("--set"); args.add(s); }
        args.addAll(List.of("--set", "learning_rate=3e-2"));     // a small LSTM wants a larger step than the transformer
        return args;
    }

    @Test
    void trainsAnLstmWhoseLossFallsAndWhoseFolderOpensAgain(@TempDir Path dir) throws Exception {
        Path corpus = PretrainingTest.corpus(dir);
        assertThat(run(args(dir, corpus, "lstm", 30))).as(err.toString()).isZero();
        assertThat(out.toString()).contains("saved").contains("30 steps");
        try (SqliteRunStore store = SqliteRunStore.open(dir.resolve("data"))) {
            RunRecord r = store.list(RunQuery.all()).get(0);
            List<Double> loss = store.metrics(r.id()).stream().filter(p -> p.name().equals("loss")).map(MetricPoint::value).toList();
            assertThat(loss).hasSize(30);
            assertThat(loss.get(loss.size() - 1)).as("last vs first loss").isLessThan(loss.get(0) * 0.5);
        }
        try (RecurrentModel m = RecurrentModel.load(dir.resolve("lstm"), LoadOptions.of("cpu", "keep"))) {
            assertThat(m.spec().cell()).isEqualTo(org.layerwise.engine.model.RecurrentSpec.Cell.LSTM);
            assertThat(m.nextTokens("the eiffel tower is in", 1).get(0).token()).isEqualTo("paris");
        }
        // resuming reads the checkpoint's recurrent model back
        assertThat(run(new ArrayList<>(args(dir, corpus, "lstm", 33)) {{ add("--resume"); }})).as(err.toString()).isZero();
        assertThat(out.toString()).contains("33 steps");
    }

    @Test
    void trainsAGruToo(@TempDir Path dir) throws Exception {
        assertThat(run(args(dir, PretrainingTest.corpus(dir), "gru", 20))).as(err.toString()).isZero();
        try (SqliteRunStore store = SqliteRunStore.open(dir.resolve("data"))) {
            List<Double> loss = store.metrics(store.list(RunQuery.all()).get(0).id()).stream()
                    .filter(p -> p.name().equals("loss")).map(MetricPoint::value).toList();
            assertThat(loss.get(loss.size() - 1)).as("last vs first loss").isLessThan(loss.get(0) * 0.7);
        }
        try (RecurrentModel m = RecurrentModel.load(dir.resolve("gru"), LoadOptions.of("cpu", "keep"))) {
            assertThat(m.spec().cell()).isEqualTo(org.layerwise.engine.model.RecurrentSpec.Cell.GRU);
        }
    }

    @Test
    void checkCountsAGruAndSaysItTrains() {
        assertThat(run(List.of("--check", "--set", "encoder=gru", "--set", "layers_num=2"))).isZero();
        // 2 · 3 · (256·256·2 + 2·256) parameters in the encoder, as torch.nn.GRU(256, 256, 2) has
        assertThat(out.toString()).contains("789,504").contains("trainable: yes");
        assertThat(run(List.of("--check", "--set", "encoder=lstm", "--set", "target=mlm", "--set", "mask=fully_visible"))).isZero();
        assertThat(out.toString()).contains("target mlm with the lstm encoder");
    }
}
