package org.layerwise.promptopt.ui;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.TreeItem;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.layerwise.engine.jobs.JobRunner;
import org.layerwise.engine.model.LanguageModel;
import org.layerwise.engine.runs.RunStore;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.promptopt.method.Candidate;
import org.layerwise.sdk.FigureExport;
import org.layerwise.sdk.LoadedModels;
import org.layerwise.sdk.ParameterSet;
import org.layerwise.sdk.TaskExecutor;
import org.layerwise.sdk.WorkbenchContext;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.prefs.Preferences;

import static org.assertj.core.api.Assertions.assertThat;

/** The trace view of a recorded GRACE run: tree, chart, feedback, diff, item comparison, budget. */
@ExtendWith(ApplicationExtension.class)
class PromptOptWorkspaceTest {
    private PromptOptWorkspace workspace;
    private SqliteRunStore store;
    private long runId;

    @Start
    void start(Stage stage) throws Exception {
        store = SqliteRunStore.open(Files.createTempDirectory("promptopt-ui"));
        runId = SampleTrace.record(store);
        workspace = new PromptOptWorkspace(new StoreContext(store));
        stage.setScene(new Scene(workspace, 1100, 760));
        stage.show();
    }

    @AfterEach
    void close() { store.close(); }

    @Test
    void showsTheTraceOfARecordedRun(FxRobot robot) {
        robot.interact(() -> workspace.open(runId));
        WaitForAsyncUtils.waitForFxEvents();
        TreeItem<Candidate> root = workspace.candidateTree().getRoot();
        assertThat(root.getValue().action()).isEqualTo("root");
        // #1 accepted hangs off the root; #2-#4 (rejected) and #5 (compression) off #1; #6 off #5
        assertThat(root.getChildren()).hasSize(1);
        TreeItem<Candidate> first = root.getChildren().get(0);
        assertThat(first.getChildren()).extracting(t -> t.getValue().id()).containsExactly(2, 3, 4, 5);
        assertThat(first.getChildren().get(3).getChildren().get(0).getValue().prompt()).isEqualTo("level 4 and think step by step");

        robot.interact(() -> workspace.candidateTree().getSelectionModel().select(first));
        assertThat(workspace.feedbackView().getChildren()).hasSize(6);
        assertThat(workspace.feedbackView().lookupAll(".label").stream()
                .filter(n -> ((javafx.scene.control.Label) n).getText().startsWith("✘ failure")).count()).isEqualTo(3);

        // the diff from the root to the last candidate shows what was added
        String added = workspace.diffView().getChildren().stream().map(n -> (Text) n).filter(Text::isUnderline)
                .map(Text::getText).reduce("", String::concat);
        assertThat(added).contains("and think step by step");

        // item by item: root (4/10) against the last candidate (4/10): all ten eval items, same answers
        assertThat(workspace.itemTable().getItems()).hasSize(10);
        assertThat(workspace.budgetLabel().getText()).contains("optimizer 6/80 calls");
        assertThat(workspace.scoreFigure().getChart().getXYPlot().getDataset().getSeriesCount()).isEqualTo(4);
        assertThat(workspace.scoreFigure().getChart().getXYPlot().getDataset().getItemCount(3)).isEqualTo(1); // one compression
        Button pause = workspace.pauseButton();
        assertThat(pause.isDisabled()).isTrue(); // nothing running
    }

    @Test
    void comparesTwoPromptsItemByItem() throws Exception {
        var trace = org.layerwise.promptopt.method.PromptTrace.read(store.traces(runId));
        var rows = PromptOptWorkspace.compare(trace.candidate(0), trace.candidate(1), true);
        // level 4 vs level 6: items 4 and 5 flip from wrong to right; item 7 is a format error for both
        assertThat(rows).extracting(PromptOptWorkspace.ItemRow::id).containsExactly("e4", "e5");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.correctA()).isFalse();
            assertThat(r.correctB()).isTrue();
        });
    }

    static class StoreContext implements WorkbenchContext {
        private final RunStore store;
        private final ObservableList<LanguageModel> models = FXCollections.observableArrayList();
        private final ObjectProperty<LanguageModel> selected = new SimpleObjectProperty<>();

        StoreContext(RunStore store) { this.store = store; }

        @Override public LoadedModels models() {
            return new LoadedModels() {
                @Override public ObservableList<LanguageModel> all() { return models; }
                @Override public ObjectProperty<LanguageModel> selected() { return selected; }
                @Override public void load(Path folder) {}
                @Override public void unload(LanguageModel model) {}
            };
        }
        @Override public RunStore runStore() { return store; }
        @Override public JobRunner jobs() { return null; }
        @Override public TaskExecutor tasks() { return TaskExecutor.synchronous(); }
        @Override public FigureExport figures() { return (chart, format, width, aspect, dpi, target) -> {}; }
        @Override public void showParameters(ParameterSet parameters) {}
        @Override public Preferences settings(String pluginId) { return Preferences.userRoot().node("layerwise-test/" + pluginId); }
        @Override public Path dataDir() { return Path.of("target"); }
        @Override public void showError(String title, String whatToDo, Throwable cause) { throw new AssertionError(title + ": " + whatToDo, cause); }
    }
}
