package org.layerwise.promptopt.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.llm.ChatServer;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.runs.RunQuery;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.promptopt.method.PromptTrace;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** End to end over HTTP: GRACE on a BBH task against a chat server over the bundled facts-llama model. */
class OptimizePromptCommandTest {
    private final StringWriter out = new StringWriter(), err = new StringWriter();

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("sample-data/bbh"))) p = p.getParent();
        return p;
    }

    private int run(String... args) {
        CommandLine cl = new CommandLine(new OptimizePromptCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void graceRunsOverHttpAndRecordsTheWholeTrace(@TempDir Path dir) throws Exception {
        try (TransformerModel model = TransformerModel.load(root().resolve("sample-data/models/facts-llama"), LoadOptions.defaults());
             ChatServer server = ChatServer.start(model, "facts-llama", "127.0.0.1", 0)) {
            int code = run("--task", root().resolve("sample-data/bbh/snarks.json").toString(), "--base", server.baseUrl(),
                    "--optimizer", server.baseUrl(), "--iterations", "3", "--rejections", "2", "--train-limit", "16",
                    "--eval-limit", "6", "--test-limit", "6", "--base-max-tokens", "6", "--optimizer-max-tokens", "12",
                    "--data-dir", dir.toString());
            assertThat(code).as(err.toString()).isZero();
            assertThat(server.usage().calls()).isPositive();
        }
        assertThat(out.toString()).contains("final pick #").contains("budget: optimizer 4 calls").contains("run 1");
        try (SqliteRunStore store = SqliteRunStore.open(dir)) {
            List<RunRecord> runs = store.list(new RunQuery(null, null, null, 10));
            assertThat(runs).hasSize(1);
            RunRecord r = runs.get(0);
            assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(r.plugin()).isEqualTo("prompt-opt");
            assertThat(r.parametersJson()).contains("\"base\":\"http://127.0.0.1:");
            PromptTrace trace = PromptTrace.read(store.traces(r.id()));
            assertThat(trace.setup().path("base").asText()).endsWith("/v1 model=facts-llama");
            // 3 iterations with K = 2: refine, refine -> compress, refine
            assertThat(trace.candidates()).extracting(c -> c.action())
                    .containsExactly("root", "refine", "refine", "compress", "refine");
            assertThat(trace.candidates().get(1).optimizerPrompt()).contains("My current prompt is:");
            assertThat(trace.candidates().get(1).items()).hasSize(6);
            assertThat(trace.budget()).hasSize(3);
            assertThat(trace.result().path("chosen").isInt()).isTrue();
            assertThat(store.metrics(r.id())).anyMatch(m -> m.name().equals("test/accuracy"));
        }
        out.getBuffer().setLength(0);
        assertThat(run("--show-run", "1", "--data-dir", dir.toString())).isZero();
        assertThat(out.toString()).contains("GRACE on snarks").contains("compress").contains("final pick #");
    }

    @Test
    void anUnreachableServerFailsWithOneClearLine(@TempDir Path dir) {
        int code = run("--task", root().resolve("sample-data/bbh/snarks.json").toString(), "--base", "http://127.0.0.1:9/v1",
                "--base-model", "x", "--retries", "0", "--iterations", "1", "--eval-limit", "2", "--data-dir", dir.toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("Connection to http://127.0.0.1:9/v1/chat/completions refused")
                .contains("every step finished before the failure is in the run store");
    }

    @Test
    void showSplitsPrintsTheDocumentedSizes() {
        assertThat(run("--task", root().resolve("sample-data/bbh/snarks.json").toString(), "--show-splits")).isZero();
        assertThat(out.toString()).contains("snarks: train 65, eval 36, test 75 (split seed 42)");
    }
}
