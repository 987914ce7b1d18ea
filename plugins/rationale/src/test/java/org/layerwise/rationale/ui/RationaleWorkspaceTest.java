package org.layerwise.rationale.ui;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.layerwise.engine.jobs.JobRunner;
import org.layerwise.engine.model.LanguageModel;
import org.layerwise.engine.runs.RunStore;
import org.layerwise.rationale.method.Answer;
import org.layerwise.rationale.method.EvalMode;
import org.layerwise.rationale.method.GridCell;
import org.layerwise.rationale.method.GridResult;
import org.layerwise.rationale.method.ItemResult;
import org.layerwise.sdk.FigureExport;
import org.layerwise.sdk.LoadedModels;
import org.layerwise.sdk.ParameterSet;
import org.layerwise.sdk.TaskExecutor;
import org.layerwise.sdk.WorkbenchContext;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.prefs.Preferences;

import static org.assertj.core.api.Assertions.assertThat;

/** Results open into the table, the crossover chart and the paired view of disagreeing items. */
@ExtendWith(ApplicationExtension.class)
class RationaleWorkspaceTest {
    private RationaleWorkspace workspace;

    @Start
    void start(Stage stage) {
        workspace = new RationaleWorkspace(new QuietContext());
        stage.setScene(new Scene(workspace, 1200, 800));
        stage.show();
    }

    @Test
    void showsResultsChartAndTheItemsWhereTheModesDisagree(FxRobot robot) {
        ItemResult cotWins = new ItemResult("multihop-test-3", "multihop", "paris", "task : multihop . context : …", "ref rationale",
                Map.of(EvalMode.DIRECT_LL, new Answer(EvalMode.DIRECT_LL, "rome", false, false, "rome=-0.2 paris=-1.0"),
                        EvalMode.COT, new Answer(EvalMode.COT, "paris", true, false, "anna is from france . therefore, the answer is: paris")));
        ItemResult agree = new ItemResult("nli-test-0", "nli", "neutral", "task : nli . …", "",
                Map.of(EvalMode.DIRECT_LL, new Answer(EvalMode.DIRECT_LL, "neutral", true, false, ""),
                        EvalMode.COT, new Answer(EvalMode.COT, "neutral", true, false, "")));
        GridResult r = new GridResult("sample-data/nlu", List.of(EvalMode.DIRECT_LL, EvalMode.COT), List.of(
                new GridCell("nlu-small", 37_000, "base", Double.NaN, List.of(), 0, List.of(cotWins, agree)),
                new GridCell("nlu-large", 800_000, "base", Double.NaN, List.of(), 0, List.of(cotWins, agree))));
        robot.interact(() -> workspace.show(r));
        WaitForAsyncUtils.waitForFxEvents();
        // per cell: pooled trained, pooled held-out, then one row per task
        assertThat(workspace.table().getItems()).hasSize(2 * 4);
        RationaleWorkspace.Row multihop = workspace.table().getItems().get(2);
        assertThat(multihop.task()).isEqualTo("multihop");
        assertThat(multihop.values().get(EvalMode.DIRECT_LL)).isEqualTo("0.0%");
        assertThat(multihop.values().get(EvalMode.COT)).isEqualTo("100.0% (fmt err 0%)");
        assertThat(workspace.pairs().getItems()).hasSize(1);
        assertThat(workspace.pairDetail().getText()).contains("gold label: paris").contains("generated rationale: anna is from france");
        var plot = (org.jfree.chart.plot.XYPlot) workspace.crossover().getChart().getPlot();
        assertThat(plot.getDataset().getSeriesCount()).isEqualTo(4);
        assertThat(plot.getDataset().getItemCount(0)).isEqualTo(2);
    }

    static final class QuietContext implements WorkbenchContext {
        private final ObservableList<LanguageModel> models = FXCollections.observableArrayList();
        private final ObjectProperty<LanguageModel> selected = new SimpleObjectProperty<>();

        @Override public LoadedModels models() {
            return new LoadedModels() {
                @Override public ObservableList<LanguageModel> all() { return models; }
                @Override public ObjectProperty<LanguageModel> selected() { return selected; }
                @Override public void load(Path folder) {}
                @Override public void unload(LanguageModel model) {}
            };
        }
        @Override public RunStore runStore() { return null; }
        @Override public JobRunner jobs() { return null; }
        @Override public TaskExecutor tasks() { return TaskExecutor.synchronous(); }
        @Override public FigureExport figures() { return (chart, format, width, aspect, dpi, target) -> {}; }
        @Override public void showParameters(ParameterSet parameters) {}
        @Override public Preferences settings(String pluginId) { return Preferences.userRoot().node("layerwise-test/" + pluginId); }
        @Override public Path dataDir() { return Path.of("target"); }
        @Override public void showError(String title, String whatToDo, Throwable cause) {}
    }
}
