package org.layerwise.app;

import java.nio.file.Path;
import java.util.Map;
import java.util.prefs.Preferences;

/**
 * Where the run store, artifacts and caches live: {@code --data-dir}, then {@code LAYERWISE_HOME}, then
 * {@code $XDG_DATA_HOME/layerwise} or {@code ~/.local/share/layerwise}. The GUI and the CLI resolve the
 * same way, so a run started on the command line opens in the GUI.
 */
public final class DataDirectory {
    private DataDirectory() {}

    public static Path resolve(Path option) {
        return resolve(option, System.getenv(), System.getProperty("user.home"));
    }

    static Path resolve(Path option, Map<String, String> env, String userHome) {
        if (option != null) return option.toAbsolutePath().normalize();
        String home = env.get("LAYERWISE_HOME");
        if (home != null && !home.isBlank()) return Path.of(home).toAbsolutePath().normalize();
        String xdg = env.get("XDG_DATA_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "layerwise") : Path.of(userHome, ".local", "share", "layerwise");
    }

    /** The application's preference node (window placement, theme, recent folders, plugin settings). */
    public static Preferences preferences() {
        return Preferences.userRoot().node("org/layerwise/app");
    }
}
