package org.layerwise.tests.gui;

import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.app.shell.MainWindow;
import org.layerwise.engine.runs.RunQuery;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.engine.runs.TraceEvent;
import org.layerwise.sdk.plugin.PluginLoader;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The playground in the real shell: load a (scripted) model, see the distribution, generate, cancel. */
@ExtendWith(ApplicationExtension.class)
class PlaygroundEndToEndTest {
    @TempDir
    static Path temp;

    private ShellFixture shell;
    private SqliteRunStore store;
    private MainWindow window;
    private Path modelDir;
    private volatile long delayMillis = 5;

    @Start
    void start(Stage stage) throws Exception {
        shell = new ShellFixture(temp, "playground");
        store = shell.store;
        modelDir = Files.createDirectories(temp.resolve("facts-llama"));
        window = shell.show(stage, (folder, ctx) -> new ScriptedLanguageModel(folder,
                List.of(" Paris", ",", " the", " capital", " of", " France", "."), delayMillis), new PluginLoader().load());
    }

    @AfterEach
    void close() throws Exception {
        shell.close();
    }

    @Test
    void generatesOnTheSelectedModelAndRecordsTheRun(FxRobot robot) throws Exception {
        robot.interact(() -> window.select("playground"));
        assertThat(robot.lookup("#playground-empty").tryQuery()).isPresent();
        robot.interact(() -> window.models().load(modelDir));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.models().selected().get() != null);
        assertThat(robot.lookup("#model-architecture").queryAs(Label.class).getText()).contains("llama");
        assertThat(robot.lookup("#model-parameters").queryAs(Label.class).getText()).isEqualTo("3.8M params");

        robot.interact(() -> robot.lookup("#playground-prompt").queryTextInputControl()
                .setText("The Eiffel Tower is located in the city of"));
        robot.interact(() -> robot.lookup("#playground-generate").queryAs(Button.class).fire());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#playground-generated")
                .queryAs(Text.class).getText().equals(" Paris, the capital of France."));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !robot.lookup("#playground-generate")
                .queryAs(Button.class).isDisabled());
        TableView<?> tokens = robot.lookup("#playground-tokens").queryTableView();
        assertThat(tokens.getItems()).hasSize(5);
        assertThat(robot.lookup("#playground-output-status").queryAs(Label.class).getText()).contains("stopped: eos");
        assertThat(robot.lookup("#playground-distribution").tryQuery()).isPresent();

        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !store.list(RunQuery.all()).isEmpty()
                && store.list(RunQuery.all()).get(0).status() == RunStatus.SUCCEEDED);
        RunRecord run = store.list(RunQuery.all()).get(0);
        assertThat(run.plugin()).isEqualTo("playground");
        assertThat(run.kind()).isEqualTo("generate");
        assertThat(run.modelRef()).isEqualTo(modelDir.toString());
        assertThat(run.parametersJson()).contains("\"prompt\":\"The Eiffel Tower is located in the city of\"");
        assertThat(store.traces(run.id())).extracting(TraceEvent::kind).containsExactly("next-token", "generation");
    }

    @Test
    void cancellingAGenerationKeepsTheTextSoFar(FxRobot robot) throws Exception {
        delayMillis = 200;
        robot.interact(() -> window.select("playground"));
        robot.interact(() -> window.models().load(modelDir));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> window.models().selected().get() != null);
        robot.interact(() -> robot.lookup("#playground-generate").queryAs(Button.class).fire());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#playground-generated")
                .queryAs(Text.class).getText().startsWith(" Paris"));
        robot.interact(() -> robot.lookup("#playground-cancel").queryAs(Button.class).fire());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#playground-output-status")
                .queryAs(Label.class).getText().startsWith("Cancelled"));
        String kept = robot.lookup("#playground-generated").queryAs(Text.class).getText();
        assertThat(kept).startsWith(" Paris").isNotEqualTo(" Paris, the capital of France.");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> store.list(RunQuery.all()).stream()
                .anyMatch(r -> r.status() == RunStatus.CANCELLED));
        assertThat(Collections.frequency(store.list(RunQuery.all()).stream().map(RunRecord::status).toList(),
                RunStatus.CANCELLED)).isEqualTo(1);
    }
}
