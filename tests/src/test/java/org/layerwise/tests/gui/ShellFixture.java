package org.layerwise.tests.gui;

import javafx.stage.Stage;
import org.layerwise.app.shell.MainWindow;
import org.layerwise.app.shell.ModelLoader;
import org.layerwise.app.shell.Workbench;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.sdk.fx.FxTaskExecutor;
import org.layerwise.sdk.plugin.PluginLoadResult;

import java.nio.file.Path;
import java.util.List;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/** The real shell over a fresh data folder (SQLite store, worker pool, FX tasks, throwaway prefs), for GUI tests. */
final class ShellFixture implements AutoCloseable {
    final SqliteRunStore store;
    final WorkerPool jobs;
    final FxTaskExecutor tasks;
    final Preferences prefs;

    ShellFixture(Path root, String name) {
        store = SqliteRunStore.open(root.resolve("data-" + System.nanoTime()));
        jobs = new WorkerPool(store, 2);
        tasks = new FxTaskExecutor(2);
        prefs = Preferences.userRoot().node("org/layerwise/test/" + name + "-" + System.nanoTime());
    }

    /** Opens the main window with these models and plugins; figure export does nothing. */
    MainWindow show(Stage stage, ModelLoader models, List<PluginLoadResult> plugins) {
        Workbench workbench = new Workbench(store.dataDir(), store, jobs, models,
                (chart, format, width, aspect, dpi, target) -> { }, tasks, prefs, plugins, List.of());
        MainWindow window = new MainWindow(workbench, stage, null);
        // Monocle's headless screen is 1280×800; a larger window overflows its frame buffer
        var screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        stage.setWidth(Math.min(1280, screen.getWidth()));
        stage.setHeight(Math.min(800, screen.getHeight()));
        stage.show();
        return window;
    }

    @Override
    public void close() throws Exception {
        // hide the window first: it saves its layout into prefs, removed below
        org.testfx.api.FxToolkit.cleanupStages();
        jobs.close();
        tasks.close();
        store.close();
        prefs.removeNode();
    }
}
