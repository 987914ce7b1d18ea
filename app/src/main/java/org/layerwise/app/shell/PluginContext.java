package org.layerwise.app.shell;

import javafx.application.Platform;
import org.layerwise.engine.jobs.JobRunner;
import org.layerwise.engine.runs.RunStore;
import org.layerwise.sdk.FigureExport;
import org.layerwise.sdk.LoadedModels;
import org.layerwise.sdk.ParameterSet;
import org.layerwise.sdk.TaskExecutor;
import org.layerwise.sdk.WorkbenchContext;
import org.layerwise.sdk.fx.ErrorReporter;

import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.prefs.Preferences;

/** What one plugin's workspace sees of the shell: the shared services plus its own settings node. */
final class PluginContext implements WorkbenchContext {
    private final String pluginId;
    private final Workbench workbench;
    private final LoadedModels models;
    private final ErrorReporter errors;
    private final BiConsumer<String, ParameterSet> parameterSheet;

    PluginContext(String pluginId, Workbench workbench, LoadedModels models, ErrorReporter errors,
                  BiConsumer<String, ParameterSet> parameterSheet) {
        this.pluginId = pluginId;
        this.workbench = workbench;
        this.models = models;
        this.errors = errors;
        this.parameterSheet = parameterSheet;
    }

    @Override public LoadedModels models() { return models; }
    @Override public RunStore runStore() { return workbench.runStore(); }
    @Override public JobRunner jobs() { return workbench.jobs(); }
    @Override public TaskExecutor tasks() { return workbench.tasks(); }
    @Override public FigureExport figures() { return workbench.figures(); }
    @Override public Path dataDir() { return workbench.dataDir(); }

    @Override
    public void showParameters(ParameterSet parameters) {
        if (Platform.isFxApplicationThread()) parameterSheet.accept(pluginId, parameters);
        else Platform.runLater(() -> parameterSheet.accept(pluginId, parameters));
    }

    @Override
    public Preferences settings(String id) {
        return workbench.prefs().node("plugins").node(id == null || id.isBlank() ? pluginId : id);
    }

    @Override
    public void showError(String title, String whatToDo, Throwable cause) {
        errors.report(title, whatToDo, cause);
    }
}
