package org.layerwise.builder.ui;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Scene;
import javafx.scene.layout.BorderPane;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.layerwise.engine.jobs.JobRunner;
import org.layerwise.engine.model.LanguageModel;
import org.layerwise.engine.runs.RunStore;
import org.layerwise.sdk.FigureExport;
import org.layerwise.sdk.LoadedModels;
import org.layerwise.sdk.ParameterSet;
import org.layerwise.sdk.TaskExecutor;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.fx.ParameterSheet;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.prefs.Preferences;

import static org.assertj.core.api.Assertions.assertThat;

/** The workspace builds, the shell's parameter sheet drives the config, and the JSON tab and the sheet follow. */
@ExtendWith(ApplicationExtension.class)
class BuilderWorkspaceTest {
    private BuilderWorkspace workspace;
    private QuietContext context;

    @Start
    void start(Stage stage) {
        context = new QuietContext();
        workspace = new BuilderWorkspace(context);
        // as the shell does: the workspace in the centre, its published parameters in the sdk sheet on the right
        stage.setScene(new Scene(new BorderPane(workspace, null, context.sheet, null, null), 1100, 780));
        stage.show();
    }

    @Test
    void theWorkspacePublishesItsSettingsToTheShellsSheet() {
        assertThat(context.shown).isSameAs(workspace.parameters());
        assertThat(context.sheet.categories()).containsExactly("Preset", "Components", "Switches", "Sizes", "Pretraining");
        assertThat(workspace.parameters().parameter("encoder").choices()).contains("transformer", "lstm");
        assertThat(workspace.parameters().parameter("layers_num").value()).isEqualTo(workspace.viewModel().config().integer("layers_num"));
    }

    @Test
    void choosingAPresetInTheSheetUpdatesDiagramJsonAndSheet(FxRobot robot) {
        robot.interact(() -> workspace.parameters().parameter(BuilderParameters.PRESET).set("llama"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(workspace.viewModel().config().text("layernorm")).isEqualTo("rms");
        TextArea json = robot.lookup(".text-area").queryAs(TextArea.class);
        assertThat(json.getText()).contains("\"feed_forward\" : \"gated\"");
        javafx.scene.control.Label encoder = robot.lookup((javafx.scene.control.Label l) -> l.getText().startsWith("Encoder")).query();
        assertThat(encoder.getText()).isEqualTo("Encoder  —  6,476,271,616 parameters");
        assertThat(workspace.parameters().parameter("layernorm").value()).isEqualTo("rms");
        assertThat(context.published).isGreaterThanOrEqualTo(2);      // re-published so the sheet shows the preset's values
    }

    @Test
    void editingOneValueInTheSheetChangesTheConfigAndEditingTheJsonChangesTheSheet(FxRobot robot) {
        int before = context.published;
        robot.interact(() -> workspace.parameters().parameter("layers_num").set(3));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(workspace.viewModel().config().integer("layers_num")).isEqualTo(3);
        assertThat(context.published).isEqualTo(before);              // the field being edited stays
        TextArea json = robot.lookup(".text-area").queryAs(TextArea.class);
        robot.interact(() -> json.setText(json.getText().replace("\"layers_num\" : 3", "\"layers_num\" : 5")));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(workspace.parameters().parameter("layers_num").value()).isEqualTo(5);
        assertThat(context.published).isGreaterThan(before);
    }

    /** A context whose services the workspace does not touch until a job starts. */
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
        final ParameterSheet sheet = new ParameterSheet();
        ParameterSet shown;
        int published;

        @Override public void showParameters(ParameterSet parameters) {
            shown = parameters;
            published++;
            sheet.setParameters(parameters);
        }
        @Override public Preferences settings(String pluginId) { return Preferences.userRoot().node("layerwise-test/" + pluginId); }
        @Override public Path dataDir() { return Path.of("target"); }
        @Override public void showError(String title, String whatToDo, Throwable cause) {}
    }
}
