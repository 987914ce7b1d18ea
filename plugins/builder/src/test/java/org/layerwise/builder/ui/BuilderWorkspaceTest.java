package org.layerwise.builder.ui;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
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
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.prefs.Preferences;

import static org.assertj.core.api.Assertions.assertThat;

/** The workspace builds, its sheet drives the config, and the JSON tab follows. */
@ExtendWith(ApplicationExtension.class)
class BuilderWorkspaceTest {
    private BuilderWorkspace workspace;

    @Start
    void start(Stage stage) {
        workspace = new BuilderWorkspace(new QuietContext());
        stage.setScene(new Scene(workspace, 1100, 800));
        stage.show();
    }

    @Test
    void choosingAPresetUpdatesDiagramAndJson(FxRobot robot) {
        ComboBox<String> preset = robot.lookup((ComboBox<String> c) -> "load a preset…".equals(c.getPromptText())).query();
        robot.interact(() -> {
            preset.setValue("llama");
            preset.getOnAction().handle(null);
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(workspace.viewModel().config().text("layernorm")).isEqualTo("rms");
        TextArea json = robot.lookup(".text-area").queryAs(TextArea.class);
        assertThat(json.getText()).contains("\"feed_forward\" : \"gated\"");
        javafx.scene.control.Label encoder = robot.lookup((javafx.scene.control.Label l) -> l.getText().startsWith("Encoder")).query();
        assertThat(encoder.getText()).isEqualTo("Encoder  —  6,476,271,616 parameters");
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
        @Override public void showParameters(ParameterSet parameters) {}
        @Override public Preferences settings(String pluginId) { return Preferences.userRoot().node("layerwise-test/" + pluginId); }
        @Override public Path dataDir() { return Path.of("target"); }
        @Override public void showError(String title, String whatToDo, Throwable cause) {}
    }
}
