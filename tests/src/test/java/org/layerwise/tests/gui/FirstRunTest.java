package org.layerwise.tests.gui;

import javafx.scene.Node;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.app.shell.FirstRun;
import org.layerwise.app.shell.MainWindow;
import org.layerwise.app.shell.WorkspaceEntry;
import org.layerwise.app.shell.Workbench;
import org.layerwise.sdk.plugin.PluginLoader;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first start: Probe & edit is selected once, the sample fact model is the one opened, and while no
 * model is loaded a strip above the workspace opens it in one click.
 */
@ExtendWith(ApplicationExtension.class)
class FirstRunTest {
    @TempDir
    static Path temp;

    private ShellFixture shell;
    private MainWindow window;
    private Path gptj;
    private Path llama;
    private final List<Path> loaded = new CopyOnWriteArrayList<>();

    @Start
    void start(Stage stage) throws Exception {
        shell = new ShellFixture(temp, "first-run");
        gptj = Files.createDirectories(temp.resolve("models/facts-gptj"));
        llama = Files.createDirectories(temp.resolve("models/facts-llama"));
        Workbench workbench = new Workbench(shell.store.dataDir(), shell.store, shell.jobs, (folder, ctx) -> {
            loaded.add(folder);
            return new ScriptedLanguageModel(folder, List.of(" Paris", "."), 1);
        }, (chart, format, width, aspect, dpi, target) -> { }, shell.tasks, shell.prefs, new PluginLoader().load(),
                List.of(gptj, llama));
        window = new MainWindow(workbench, stage, null);
        stage.setWidth(1200);
        stage.setHeight(760);
        stage.show();
    }

    @AfterEach
    void close() throws Exception {
        shell.close();
    }

    @Test
    void opensProbeAndEditOnceAndOffersTheSampleFactModel(FxRobot robot) throws Exception {
        FirstRun firstRun = new FirstRun(shell.prefs);
        assertThat(firstRun.pending()).isTrue();
        // facts-llama is preferred over the alphabetically first sample
        assertThat(FirstRun.startupSample(List.of(gptj, llama))).contains(llama);
        assertThat(FirstRun.startupSample(List.of(gptj))).contains(gptj);

        // what a new user sees first: each workspace with its own icon (icons/render.sh), not the fallback
        assertThat(window.sidebar().entries()).filteredOn(e -> !e.isRunsBrowser()).isNotEmpty()
                .allSatisfy(e -> assertThat(e.icon().getPath()).endsWith("/" + e.id() + ".png"));

        robot.interact(() -> firstRun.welcome(window));
        assertThat(window.sidebar().selected().id()).isEqualTo(FirstRun.WORKSPACE);
        assertThat(new FirstRun(shell.prefs).pending()).isFalse();

        // a second start keeps the user's choice
        robot.interact(() -> window.select("playground"));
        robot.interact(() -> new FirstRun(shell.prefs).welcome(window));
        assertThat(window.sidebar().selected().id()).isEqualTo("playground");

        // no model: the hint shows, and not in the runs browser
        Node hint = robot.lookup("#no-model-hint").query();
        assertThat(hint.isVisible()).isTrue();
        robot.interact(() -> window.select(WorkspaceEntry.RUNS_ID));
        assertThat(hint.isVisible()).isFalse();
        robot.interact(() -> window.select(FirstRun.WORKSPACE));
        assertThat(hint.isVisible()).isTrue();

        // one click opens the sample fact model, and the hint goes away
        robot.clickOn("#open-sample-model");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !window.models().all().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(loaded).containsExactly(llama);
        assertThat(window.models().selected().get().name()).isEqualTo("facts-llama");
        assertThat(hint.isVisible()).isFalse();
    }
}
