package org.layerwise.tests.gui;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.app.shell.MainWindow;
import org.layerwise.app.shell.WorkspaceEntry;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobState;
import org.layerwise.engine.runs.RunQuery;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.sdk.fx.ErrorCard;
import org.layerwise.sdk.plugin.PluginLoadResult;
import org.layerwise.sdk.plugin.PluginLoader;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shell end to end on headless JavaFX (Monocle): a temporary data folder with the real SQLite run
 * store and worker pool, every plugin found on the class path plus test plugins (one that runs a job, one
 * whose workspace throws, one that failed to load).
 */
@ExtendWith(ApplicationExtension.class)
class ShellEndToEndTest {
    @TempDir
    static Path dataDir;

    private ShellFixture shell;
    private SqliteRunStore store;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        shell = new ShellFixture(dataDir, "e2e");
        store = shell.store;
        List<PluginLoadResult> plugins = new ArrayList<>(new PluginLoader().load());
        plugins.add(PluginLoadResult.loaded(new WaitingJobPlugin()));
        plugins.add(PluginLoadResult.loaded(new ThrowingWorkspacePlugin()));
        plugins.add(PluginLoadResult.failed("com.example.MissingPlugin", "A class it needs is missing "
                + "(com/example/heatmaps/Renderer).", new NoClassDefFoundError("com/example/heatmaps/Renderer")));
        window = shell.show(stage, (folder, ctx) -> { throw new IllegalStateException("no models in this test"); },
                plugins);
    }

    @AfterEach
    void close() throws Exception {
        shell.close();
    }

    @Test
    void showsEveryWorkspaceRunsAJobCancelsItAndListsTheRun(FxRobot robot) throws Exception {
        ListView<WorkspaceEntry> sidebar = robot.lookup("#workspace-list").queryListView();
        assertThat(sidebar.getItems()).extracting(WorkspaceEntry::id)
                .contains("playground", WaitingJobPlugin.ID, ThrowingWorkspacePlugin.ID, "com.example.MissingPlugin")
                .endsWith(WorkspaceEntry.RUNS_ID);
        assertThat(sidebar.getItems()).filteredOn(e -> e.id().equals("playground"))
                .singleElement().satisfies(e -> assertThat(e.title()).isEqualTo("Playground"));
        // the playground opens first (lowest order) and, with no model, says how to get one
        assertThat(robot.lookup("#playground-empty").tryQuery()).isPresent();

        robot.interact(() -> window.select(WaitingJobPlugin.ID));
        // the workspace's parameter set is in the sheet
        assertThat(robot.lookup(".pane-title").queryAs(Label.class).getText()).isEqualTo("Waiter settings");
        robot.clickOn("#start-waiting-job");

        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> shell.jobs.active().stream()
                .anyMatch(h -> h.state() == JobState.RUNNING));
        JobHandle<?> job = shell.jobs.active().get(0);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup(".cancel-job").tryQuery()
                .filter(Node::isVisible).isPresent());
        robot.clickOn(".cancel-job");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> job.state() == JobState.CANCELLED);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup(".state-cancelled").tryQuery().isPresent());
        assertThat(window.jobs().rows().get(0).messageProperty().get()).contains("cancelled");

        robot.interact(() -> window.select(WorkspaceEntry.RUNS_ID));
        TableView<RunRecord> runs = robot.lookup("#runs-table").queryTableView();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> runs.getItems().stream()
                .anyMatch(r -> r.title().equals(WaitingJobPlugin.JOB_TITLE) && r.status() == RunStatus.CANCELLED));
        RunRecord run = runs.getItems().get(0);
        assertThat(run.plugin()).isEqualTo(WaitingJobPlugin.ID);
        assertThat(run.parametersJson()).contains("\"steps\":7");
        assertThat(store.list(RunQuery.all())).extracting(RunRecord::status).containsExactly(RunStatus.CANCELLED);

        // open the run: its metric series is drawn
        robot.interact(() -> {
            runs.getSelectionModel().select(0);
            window.runsBrowser().open(run);
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#run-details").tryQuery().isPresent());
        assertThat(robot.lookup(".figure-panel").tryQuery()).isPresent();
    }

    @Test
    void brokenPluginsShowErrorCardsAndTheRestKeepsWorking(FxRobot robot) {
        robot.interact(() -> window.select("com.example.MissingPlugin"));
        ErrorCard missing = robot.lookup(".error-card").queryAs(ErrorCard.class);
        assertThat(missing.heading()).contains("MissingPlugin");
        assertThat(missing.reason()).contains("com/example/heatmaps/Renderer");

        robot.interact(() -> window.select(ThrowingWorkspacePlugin.ID));
        ErrorCard throwing = robot.lookup(".error-card").match(Node::isVisible).queryAs(ErrorCard.class);
        assertThat(throwing.heading()).contains("Throwing");
        assertThat(throwing.reason()).contains("GPU heatmap renderer that is missing");

        robot.interact(() -> window.select("playground"));
        assertThat(robot.lookup("#playground-empty").tryQuery()).isPresent();
        assertThat(robot.lookup(".error-card").match(Node::isVisible).tryQuery()).isEmpty();
    }
}
