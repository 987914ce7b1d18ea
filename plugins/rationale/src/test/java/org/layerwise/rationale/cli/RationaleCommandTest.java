package org.layerwise.rationale.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.RandomWeights;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.runs.RunQuery;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.engine.tokenizer.HfTokenizer;
import org.layerwise.rationale.method.GridResult;
import org.layerwise.rationale.method.NluModelRecipe;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RationaleCommandTest {
    private final StringWriter out = new StringWriter(), err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new RationaleCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void trainsWithAlignEvaluatesAndRecordsTheRun(@TempDir Path dir) throws Exception {
        Path nlu = Path.of("../../sample-data/nlu");
        Path model = dir.resolve("tiny");
        try (NDManager m = NDManager.newBaseManager(); HfTokenizer tokenizer = HfTokenizer.load(nlu)) {
            var spec = NluModelRecipe.spec(tokenizer.vocabularySize(), 16, 1, 2);
            var config = new JsonMapper().createObjectNode().put("eos_token_id", tokenizer.encode("[SEP]").ids()[0]);
            try (TransformerModel t = TransformerModel.create(spec, RandomWeights.create(spec, m, 1, 0.02f), HfTokenizer.load(nlu),
                    new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32), config, nlu)) {
                t.save(model);
            }
        }
        int code = run("train", "--model", model.toString(), "--data", nlu.toString(), "--method", "align", "--w", "0.25",
                "--steps", "3", "--batch", "2", "--per-task", "1", "--data-dir", dir.resolve("data").toString(),
                "--out", dir.resolve("out").toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("| tiny |").contains("align w=0.25");
        GridResult r = GridResult.read(dir.resolve("out").resolve(GridResult.ARTIFACT));
        assertThat(r.cells()).hasSize(1);
        assertThat(r.cells().get(0).items()).hasSize(7);             // one test item of each of the 7 tasks
        assertThat(r.cells().get(0).losses()).hasSize(3);
        assertThat(Files.size(dir.resolve("out/rationale-crossover.pdf"))).isPositive();
        try (SqliteRunStore store = SqliteRunStore.open(dir.resolve("data"))) {
            var runs = store.list(new RunQuery("rationale", null, null, 10));
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(runs.get(0).parametersJson()).contains("\"align_w\":[0.25]");
            assertThat(store.artifacts(runs.get(0).id())).extracting(a -> a.name()).contains(GridResult.ARTIFACT, "rationale-table.md");
            assertThat(store.metrics(runs.get(0).id())).anyMatch(p -> p.name().equals("loss/tiny/align@0.25"));
            assertThat(store.traces(runs.get(0).id())).anyMatch(t -> t.kind().equals("cell"));
        }
        assertThat(run("train", "--model", dir.resolve("missing").toString(), "--method", "align")).isEqualTo(1);
        assertThat(err.toString()).contains("has no config.json");
        assertThat(run("train", "--model", model.toString(), "--method", "cot-first")).isEqualTo(1);
        assertThat(err.toString()).contains("unknown training method 'cot-first'");
    }
}
