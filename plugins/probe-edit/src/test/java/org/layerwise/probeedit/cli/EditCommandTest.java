package org.layerwise.probeedit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.runs.RunQuery;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.probeedit.method.edit.FactsModel;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EditCommandTest {
    private final StringWriter out = new StringWriter(), err = new StringWriter();

    private int run(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void editSavesTheModelWithItsLogAndRecordsARun(@TempDir Path dir) throws Exception {
        Path repo = FactsModel.repo();
        Path corpus = Files.write(dir.resolve("corpus.txt"), Files.readAllLines(repo.resolve("sample-data/world/train.txt")).subList(0, 300));
        int code = run(new EditCommand(), "--method", "rome", "--requests", repo.resolve("sample-data/world/counterfact.json").toString(),
                "--limit", "1", "--model", repo.resolve("sample-data/models/facts-llama").toString(), "--out", dir.resolve("edited").toString(),
                "--corpus", corpus.toString(), "--set", "v_num_grad_steps=5", "--data-dir", dir.resolve("data").toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("edited 1 facts with rome (rome-facts-llama)");
        assertThat(dir.resolve("edited/edit_log.json")).exists();
        assertThat(dir.resolve("edited/model.safetensors")).exists();
        try (SqliteRunStore store = SqliteRunStore.open(dir.resolve("data"))) {
            List<RunRecord> runs = store.list(RunQuery.all());
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(store.metrics(runs.get(0).id())).isNotEmpty();
        }
    }

    @Test
    void malformedRequestsNameTheRecordAndField(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "[{\"case_id\":3,\"requested_rewrite\":{\"prompt\":\"{} is in\",\"subject\":\"X\"}}]");
        int code = run(new EvalEditsCommand(), "--model", FactsModel.repo().resolve("sample-data/models/facts-llama").toString(),
                "--requests", bad.toString(), "--data-dir", dir.resolve("data").toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("record 0 (case_id 3)").contains("requested_rewrite.target_new");
    }
}
