package org.layerwise.flatness.ui;

import org.layerwise.flatness.Blobs;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.runs.RunQuery;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.sdk.fx.FigurePanel;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Load a sequence, run a method as a job, watch the matrix fill, compute the views: all through the workspace. */
@ExtendWith(ApplicationExtension.class)
class FlatnessWorkspaceTest {
    private static Path dir;
    private static SqliteRunStore store;
    private static WorkerPool pool;
    private FlatnessWorkspace workspace;
    private TestContext context;

    @Start
    void start(Stage stage) throws Exception {
        dir = Files.createTempDirectory("flatness-ui");
        store = SqliteRunStore.open(dir.resolve("data"));
        pool = new WorkerPool(store, 1);
        context = new TestContext(store, pool);
        workspace = new FlatnessWorkspace(context);
        stage.setScene(new Scene(workspace, 1100, 780));
        stage.show();
    }

    @AfterAll
    static void close() {
        if (pool != null) pool.close();
        if (store != null) store.close();
    }

    @Test
    void runsAMethodFillsTheMatrixLiveAndComputesTheViews(FxRobot robot) throws Exception {
        Path seq = Blobs.write(dir, 2, 20);
        TextField field = robot.lookup((TextField t) -> t.getText().endsWith(".json")).query();
        Button load = robot.lookup((Button b) -> "Load".equals(b.getText())).query();
        robot.interact(() -> {
            field.setText(seq.toString());
            load.fire();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(workspace.viewModel().sequenceProperty().get().name()).isEqualTo("blobs");
        ComboBox<String> method = robot.lookup((ComboBox<String> c) -> c.getItems().contains("cf")).query();
        robot.interact(() -> {
            method.setValue("cf");
            method.getOnAction().handle(null);
            workspace.viewModel().parameters().set("epochs", 1);
        });
        assertThat(workspace.viewModel().parameters().parameters()).extracting(p -> p.name()).contains("rho", "lambda", "clamp", "replay_kmeans");
        Button run = robot.lookup((Button b) -> "Run".equals(b.getText())).query();
        robot.interact(run::fire);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> workspace.viewModel().finishedProperty().get() != null);
        assertThat(workspace.viewModel().matrixProperty().get().completed()).isEqualTo(2);
        assertThat(workspace.accuracyPanel().getChart().getTitle().getText()).contains("cf");
        List<RunRecord> runs = store.list(RunQuery.all());
        assertThat(runs).anyMatch(r -> r.plugin().equals("flatness") && r.status() == RunStatus.SUCCEEDED);

        @SuppressWarnings("unchecked")
        Spinner<Integer> grid = robot.lookup((Spinner<Integer> s) -> s.getValue() == 21).query();
        robot.interact(() -> grid.getValueFactory().setValue(5));
        Button compute = robot.lookup((Button b) -> "Compute views".equals(b.getText())).query();
        robot.interact(compute::fire);
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> workspace.viewsGrid().getChildren().size() >= 9);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(workspace.viewsGrid().getChildren()).hasSizeGreaterThanOrEqualTo(9).allMatch(n -> n instanceof FigurePanel);
        assertThat(context.lastError).isNull();
    }
}
