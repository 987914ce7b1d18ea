package org.layerwise.modelselect.ui;

import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.layerwise.engine.jobs.JobRunner;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.model.LanguageModel;
import org.layerwise.engine.runs.RunStore;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.sdk.FigureExport;
import org.layerwise.sdk.LoadedModels;
import org.layerwise.sdk.ParameterSet;
import org.layerwise.sdk.TaskExecutor;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.figure.ChartFigureExport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;

/** A workbench context with a real run store and worker pool in a folder; errors are collected, not shown. */
final class TestContext implements WorkbenchContext, AutoCloseable {
    final List<Throwable> errors = new ArrayList<>();
    private final ObservableList<LanguageModel> models = FXCollections.observableArrayList();
    private final ObjectProperty<LanguageModel> selected = new SimpleObjectProperty<>();
    private final Path dir;
    private final SqliteRunStore store;
    private final WorkerPool pool;

    TestContext(Path dir) {
        this.dir = dir;
        this.store = SqliteRunStore.open(dir);
        this.pool = new WorkerPool(store, 1);
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
    @Override public JobRunner jobs() { return pool; }
    @Override public TaskExecutor tasks() {
        return new TaskExecutor() {
            @Override
            public <T> void execute(java.util.concurrent.Callable<T> work, java.util.function.Consumer<T> onSuccess,
                                    java.util.function.Consumer<Throwable> onFailure) {
                try {
                    T v = work.call();
                    if (Platform.isFxApplicationThread()) onSuccess.accept(v); else Platform.runLater(() -> onSuccess.accept(v));
                } catch (Exception e) {
                    onFailure.accept(e);
                }
            }
        };
    }
    @Override public FigureExport figures() { return new ChartFigureExport(); }
    @Override public void showParameters(ParameterSet parameters) {}
    @Override public Preferences settings(String pluginId) { return Preferences.userRoot().node("layerwise-test/" + pluginId); }
    @Override public Path dataDir() { return dir; }
    @Override public void showError(String title, String whatToDo, Throwable cause) { errors.add(cause); }

    @Override public void close() throws Exception {
        pool.close();
        store.close();
    }
}
