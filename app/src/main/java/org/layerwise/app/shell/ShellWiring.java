package org.layerwise.app.shell;

import org.layerwise.app.SampleModels;
import org.layerwise.engine.DataDirectory;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.sdk.figure.ChartFigureExport;
import org.layerwise.sdk.fx.FxTaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.prefs.Preferences;

/**
 * The one place where the real services are built for the GUI: the run store in the data folder (runs
 * orphaned by a killed process marked interrupted), the job runner, the model loader, figure export and
 * the task executor. Closed in reverse order on exit.
 */
final class ShellWiring implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShellWiring.class);

    private final Workbench workbench;
    private final int orphansMarked;
    private final List<AutoCloseable> closeInOrder;

    private ShellWiring(Workbench workbench, int orphansMarked, List<AutoCloseable> closeInOrder) {
        this.workbench = workbench;
        this.orphansMarked = orphansMarked;
        this.closeInOrder = closeInOrder;
    }

    static ShellWiring open(ShellLaunch launch) {
        SqliteRunStore store = SqliteRunStore.open(DataDirectory.create(launch.dataDir()));
        int orphans;
        try {
            orphans = store.markOrphansInterrupted();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
        WorkerPool jobs = new WorkerPool(store, threads);
        FxTaskExecutor tasks = new FxTaskExecutor();
        Workbench workbench = new Workbench(store.dataDir(), store, jobs, new EngineModelLoader(launch.loadOptions()), new ChartFigureExport(), tasks,
                preferences(), launch.plugins(), SampleModels.under(SampleModels.installRoot()));
        LOG.info("Data folder {}; {} plugin(s); {} orphaned run(s) marked interrupted", store.dataDir(),
                launch.plugins().size(), orphans);
        // jobs first (they write to the store), the store last
        return new ShellWiring(workbench, orphans, List.of(jobs, tasks, store));
    }

    /** The application's preference node (window, theme, recent folders, per-plugin settings). */
    static Preferences preferences() {
        return Preferences.userRoot().node("org/layerwise/app");
    }

    Workbench workbench() {
        return workbench;
    }

    int orphansMarked() {
        return orphansMarked;
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeInOrder) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
