package org.layerwise.app.shell;

import org.layerwise.app.DataDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place where the real services are built for the GUI: the run store in the data folder (orphaned
 * runs marked interrupted), the job runner, the model loader, figure export and the task executor.
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

    static ShellWiring open(ShellLaunch launch) throws Exception {
        Path dataDir = launch.dataDir();
        Files.createDirectories(dataDir);
        throw new UnsupportedOperationException("the SQLite run store and job runner are not part of this build yet");
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

    static List<AutoCloseable> order(AutoCloseable... items) {
        return new ArrayList<>(List.of(items));
    }

    static java.util.prefs.Preferences prefs() {
        return DataDirectory.preferences();
    }
}
