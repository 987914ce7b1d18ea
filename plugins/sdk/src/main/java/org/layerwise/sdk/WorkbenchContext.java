package org.layerwise.sdk;

import org.layerwise.engine.jobs.JobRunner;
import org.layerwise.engine.runs.RunStore;

import java.nio.file.Path;
import java.util.prefs.Preferences;

/** The engine's services as a workspace sees them. */
public interface WorkbenchContext {
    /** Models loaded in the model bar; the selected one is what actions run on. */
    LoadedModels models();

    RunStore runStore();

    /** Long work: submitted jobs show in the job area with progress and cancel. */
    JobRunner jobs();

    /** Runs work off the FX thread and delivers results on it. */
    TaskExecutor tasks();

    FigureExport figures();

    /** Shows a bean-like parameter set in the right-hand hyper-parameter sheet. */
    void showParameters(ParameterSet parameters);

    /** Per-plugin settings (java.util.prefs, node per plugin id). */
    Preferences settings(String pluginId);

    /** The user data directory (run store, caches, artifacts). */
    Path dataDir();

    /** Reports an error to the user: what went wrong and what to do. Never loses the user's state. */
    void showError(String title, String whatToDo, Throwable cause);
}
