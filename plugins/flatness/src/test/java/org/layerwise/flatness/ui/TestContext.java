package org.layerwise.flatness.ui;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.layerwise.engine.jobs.JobRunner;
import org.layerwise.engine.model.LanguageModel;
import org.layerwise.engine.runs.RunStore;
import org.layerwise.sdk.FigureExport;
import org.layerwise.sdk.LoadedModels;
import org.layerwise.sdk.ParameterSet;
import org.layerwise.sdk.TaskExecutor;
import org.layerwise.sdk.WorkbenchContext;

import java.nio.file.Path;
import java.util.prefs.Preferences;

/** A workbench context over a real run store and worker pool (jobs run), with synchronous small tasks. */
final class TestContext implements WorkbenchContext {
    private final RunStore store;
    private final JobRunner jobs;
    private final ObservableList<LanguageModel> models = FXCollections.observableArrayList();
    private final ObjectProperty<LanguageModel> selected = new SimpleObjectProperty<>();
    volatile Throwable lastError;

    TestContext(RunStore store, JobRunner jobs) {
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
    @Override public TaskExecutor tasks() { return TaskExecutor.synchronous(); }
    @Override public FigureExport figures() { return new org.layerwise.sdk.figure.ChartFigureExport(); }
    @Override public void showParameters(ParameterSet parameters) {}
    @Override public Preferences settings(String pluginId) { return Preferences.userRoot().node("layerwise-test/" + pluginId); }
    @Override public Path dataDir() { return store.dataDir(); }
    @Override public void showError(String title, String whatToDo, Throwable cause) { lastError = cause == null ? new RuntimeException(title) : cause; }
}
