package org.layerwise.probeedit.ui;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Scene;
import javafx.scene.control.Spinner;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.layerwise.engine.jobs.JobRunner;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.model.LanguageModel;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.runs.RunQuery;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.RunStore;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.sdk.FigureExport;
import org.layerwise.sdk.LoadedModels;
import org.layerwise.sdk.ParameterSet;
import org.layerwise.sdk.TaskExecutor;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.figure.ChartFigureExport;
import org.layerwise.sdk.fx.FigurePanel;
import org.layerwise.sdk.fx.FxTaskExecutor;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.*;

/** The Probe tab on the sample fact model: prefilled from its world, one click gives the figure and a recorded run. */
@ExtendWith(ApplicationExtension.class)
class ProbePanelTest {
    static Path data;
    static SqliteRunStore store;
    static WorkerPool pool;
    static TransformerModel model;
    private ProbePanel panel;

    @Start
    void start(Stage stage) throws Exception {
        if (store == null) {
            data = Files.createTempDirectory("probe-panel-test");
            store = SqliteRunStore.open(data);
            pool = new WorkerPool(store, 1);
            Path repo = Path.of("").toAbsolutePath();
            while (!Files.isDirectory(repo.resolve("sample-data"))) repo = repo.getParent();
            model = TransformerModel.load(repo.resolve("sample-data/models/facts-llama"),
                    new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32));
        }
        panel = new ProbePanel(new TestContext(model, store, pool));
        stage.setScene(new Scene(panel, 1200, 760));
        stage.show();
    }

    @AfterAll
    static void close() {
        pool.close();
        store.close();
        model.close();
    }

    @Test
    void prefilledFactProbesInOneClickAndDataSetAfter(FxRobot robot) throws Exception {
        javafx.scene.control.TextField subject = robot.lookup("#probe-subject").queryAs(javafx.scene.control.TextField.class);
        assertEquals("France", subject.getText());
        javafx.scene.control.TextField dataset = robot.lookup("#probe-dataset").queryAs(javafx.scene.control.TextField.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !dataset.getText().isBlank());   // filled off the FX thread
        assertTrue(dataset.getText().endsWith("heldout_counterfact.json"), dataset.getText());
        robot.clickOn("#probe-run");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> panel.lastResult() != null);
        waitForIdle(robot);
        assertNotNull(panel.lastResult());
        FigurePanel fig = robot.lookup("#probe-figure").queryAs(FigurePanel.class);
        assertNotNull(fig.getChart());
        assertTrue(robot.lookup("#probe-regions").queryLabeled().getText().startsWith("Proposed edit regions: low"));
        assertTrue(robot.lookup("#probe-status").queryLabeled().getText().contains("p(Paris)"));

        @SuppressWarnings("unchecked") Spinner<Integer> limit = robot.lookup("#probe-limit").queryAs(Spinner.class);
        robot.interact(() -> limit.getValueFactory().setValue(6));
        robot.clickOn("#probe-run-dataset");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> robot.lookup("#probe-dataset-figure").queryAs(FigurePanel.class).getChart() != null);
        waitForIdle(robot);
        assertNotNull(robot.lookup("#probe-dataset-figure").queryAs(FigurePanel.class).getChart());
        assertTrue(robot.lookup("#probe-status").queryLabeled().getText().startsWith("6 facts probed"),
                robot.lookup("#probe-status").queryLabeled().getText());
        List<RunRecord> runs = store.list(RunQuery.all());
        assertEquals(2, runs.size());
        for (RunRecord r : runs) {
            assertEquals(RunStatus.SUCCEEDED, r.status());
            assertEquals("probe-edit", r.plugin());
            assertFalse(store.artifacts(r.id()).isEmpty());
        }
    }

    /** Waits until the panel's job is done and the FX thread has shown its result. */
    private static void waitForIdle(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> !robot.lookup("#probe-run").queryButton().isDisabled() && robot.lookup("#probe-job").tryQuery().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** A context with a real run store and worker pool and one loaded model. */
    public static final class TestContext implements WorkbenchContext {
        private final ObservableList<LanguageModel> models = FXCollections.observableArrayList();
        private final ObjectProperty<LanguageModel> selected = new SimpleObjectProperty<>();
        private final RunStore store;
        private final JobRunner jobs;
        private final FxTaskExecutor tasks = new FxTaskExecutor(1);

        public TestContext(TransformerModel model, RunStore store, JobRunner jobs) {
            models.add(model);
            selected.set(model);
            this.store = store;
            this.jobs = jobs;
        }

        @Override public LoadedModels models() {
            return new LoadedModels() {
                @Override public ObservableList<LanguageModel> all() { return models; }
                @Override public ObjectProperty<LanguageModel> selected() { return selected; }
                @Override public void load(Path folder) {}
                @Override public void unload(LanguageModel model) {}
            };
        }
        @Override public RunStore runStore() { return store; }
        @Override public JobRunner jobs() { return jobs; }
        @Override public TaskExecutor tasks() { return tasks; }
        @Override public FigureExport figures() { return new ChartFigureExport(); }
        @Override public void showParameters(ParameterSet parameters) {}
        @Override public Preferences settings(String pluginId) { return Preferences.userRoot().node("layerwise-test/" + pluginId); }
        @Override public Path dataDir() { return data; }
        @Override public void showError(String title, String whatToDo, Throwable cause) { System.err.println(title + ": " + whatToDo); if (cause != null) cause.printStackTrace(); errors.add(title); }
        final java.util.List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    }
}
