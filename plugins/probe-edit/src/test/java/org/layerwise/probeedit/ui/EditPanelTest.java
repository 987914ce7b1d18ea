package org.layerwise.probeedit.ui;

import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.runs.RunQuery;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.probeedit.method.edit.EditMethod;
import org.layerwise.probeedit.method.edit.EditSession;
import org.layerwise.probeedit.method.edit.FactsModel;
import org.layerwise.sdk.fx.FigurePanel;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The Edit tab on the sample fact model: one ROME edit with curves and a before/after probe, then revert all. */
@ExtendWith(ApplicationExtension.class)
class EditPanelTest {
    static Path data;
    static SqliteRunStore store;
    static WorkerPool pool;
    static TransformerModel model;
    private EditPanel panel;

    @Start
    void start(Stage stage) throws Exception {
        if (store == null) {
            data = Files.createTempDirectory("edit-panel-test");
            store = SqliteRunStore.open(data);
            pool = new WorkerPool(store, 1);
            model = TransformerModel.load(FactsModel.repo().resolve("sample-data/models/facts-llama"),
                    new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32));
        }
        panel = new EditPanel(new ProbePanelTest.TestContext(model, store, pool));
        stage.setScene(new Scene(panel, 1200, 800));
        stage.show();
    }

    @AfterAll
    static void close() {
        pool.close();
        store.close();
        model.close();
    }

    @Test
    void editShowsCurvesAndProbeThenRevertAllRestoresTheWeights(FxRobot robot) throws Exception {
        String before = EditSession.checksum(model);
        // a short corpus keeps the key statistics quick in a test
        List<String> lines = Files.readAllLines(FactsModel.repo().resolve("sample-data/world/train.txt")).subList(0, 400);
        Path corpus = Files.write(data.resolve("corpus.txt"), lines);
        robot.interact(() -> {
            panel.prompt.setText("The capital of {} is");
            panel.subject.setText("France");
            panel.targetNew.setText("Berlin");
            panel.targetTrue.setText("Paris");
            panel.method.setValue(EditMethod.ROME);
            panel.preset.setValue("rome-facts-llama");
            panel.corpus.setText(corpus.toString());
        });
        robot.clickOn("#edit-run");
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> panel.appliedEdits().size() == 1
                && robot.lookup("#edit-probe").queryAs(FigurePanel.class).getChart() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertNotNull(robot.lookup("#edit-curves").queryAs(FigurePanel.class).getChart());
        String status = robot.lookup("#edit-status").queryLabeled().getText();
        assertTrue(status.startsWith("Edited with rome"), status);
        assertNotEquals(before, EditSession.checksum(model));
        List<RunRecord> runs = store.list(RunQuery.all());
        assertEquals(1, runs.size());
        assertEquals(RunStatus.SUCCEEDED, runs.get(0).status());
        assertEquals("edit", runs.get(0).kind());
        assertFalse(store.metrics(runs.get(0).id()).isEmpty(), "the optimisation curves are recorded");
        robot.clickOn("#edit-revert-all");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(panel.appliedEdits().isEmpty());
        assertEquals(before, EditSession.checksum(model));
    }
}
