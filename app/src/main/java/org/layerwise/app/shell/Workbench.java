package org.layerwise.app.shell;

import org.layerwise.engine.jobs.JobRunner;
import org.layerwise.engine.runs.RunStore;
import org.layerwise.sdk.FigureExport;
import org.layerwise.sdk.TaskExecutor;
import org.layerwise.sdk.plugin.PluginLoadResult;

import java.nio.file.Path;
import java.util.List;
import java.util.prefs.Preferences;

/**
 * The services the shell runs on, passed in whole so tests can hand it fakes. The real set is built in
 * one place, {@link LayerwiseApp}.
 *
 * @param prefs        root preference node of the app (window, theme, recent folders, per-plugin nodes)
 * @param sampleModels model folders offered as "sample models" (may be empty)
 */
public record Workbench(Path dataDir, RunStore runStore, JobRunner jobs, ModelLoader modelLoader,
                        FigureExport figures, TaskExecutor tasks, Preferences prefs, List<PluginLoadResult> plugins,
                        List<Path> sampleModels) {
    public Workbench {
        plugins = List.copyOf(plugins);
        sampleModels = List.copyOf(sampleModels);
    }
}
