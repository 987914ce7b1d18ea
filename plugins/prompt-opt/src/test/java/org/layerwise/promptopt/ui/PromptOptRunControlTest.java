package org.layerwise.promptopt.ui;

import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.layerwise.engine.jobs.JobRunner;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.llm.ChatServer;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.promptopt.method.PromptTrace;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Start, pause, resume and cancel a GRACE run from the workspace, against a chat server on facts-llama. */
@ExtendWith(ApplicationExtension.class)
class PromptOptRunControlTest {
    private PromptOptWorkspace workspace;
    private SqliteRunStore store;
    private WorkerPool pool;
    private TransformerModel model;
    private ChatServer server;
    private Path root;

    @Start
    void start(Stage stage) throws Exception {
        root = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(root.resolve("sample-data/bbh"))) root = root.getParent();
        model = TransformerModel.load(root.resolve("sample-data/models/facts-llama"), LoadOptions.defaults());
        server = ChatServer.start(model, "facts-llama", "127.0.0.1", 0);
        store = SqliteRunStore.open(Files.createTempDirectory("promptopt-control"));
        pool = new WorkerPool(store, 1);
        workspace = new PromptOptWorkspace(new PromptOptWorkspaceTest.StoreContext(store) {
            @Override public JobRunner jobs() { return pool; }
        });
        stage.setScene(new Scene(workspace, 1100, 760));
        stage.show();
    }

    @AfterEach
    void close() {
        pool.close();
        server.close();
        model.close();
        store.close();
    }

    private int candidates(long run) { return PromptTrace.read(store.traces(run)).candidates().size(); }

    private static void waitUntil(int seconds, BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition::getAsBoolean);
    }

    @Test
    void pauseHoldsResumeContinuesCancelStops(FxRobot robot) throws Exception {
        // a small JSONL task keeps each iteration short (facts-llama answers no question within \boxed{})
        Path task = Files.createTempDirectory("promptopt-task").resolve("capitals.jsonl");
        StringBuilder sb = new StringBuilder();
        for (String c : new String[] {"France", "Japan", "Italy", "Spain", "Germany", "Egypt", "Peru", "Kenya", "India", "Chile"})
            sb.append("{\"input\":\"The capital of ").append(c).append(" is\",\"target\":\"x\"}\n");
        Files.writeString(task, sb.toString());
        robot.interact(() -> workspace.fill(task.toString(), server.baseUrl(), "", 200, 0));
        robot.interact(() -> workspace.startButton().fire());
        waitUntil(30, () -> workspace.runId() >= 0 && candidates(workspace.runId()) >= 2);
        long run = workspace.runId();
        assertThat(workspace.startButton().isDisabled()).isTrue();

        robot.interact(() -> workspace.pauseButton().fire());
        assertThat(workspace.pauseButton().getText()).isEqualTo("Resume");
        Thread.sleep(1500); // the call in flight finishes, then the loop holds
        int held = candidates(run);
        Thread.sleep(2000);
        assertThat(candidates(run)).isEqualTo(held);

        robot.interact(() -> workspace.pauseButton().fire());
        waitUntil(30, () -> candidates(run) > held);

        robot.interact(() -> workspace.cancelButton().fire());
        waitUntil(30, () -> store.get(run).orElseThrow().status() != RunStatus.RUNNING);
        assertThat(store.get(run).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
        WaitForAsyncUtils.waitForFxEvents();
        waitUntil(10, () -> !workspace.startButton().isDisabled());
        assertThat(workspace.candidateTree().getRoot()).isNotNull();
    }
}
