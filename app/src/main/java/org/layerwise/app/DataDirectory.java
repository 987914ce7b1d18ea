package org.layerwise.app;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.prefs.Preferences;

/**
 * Where the run store, artifacts and caches live. Resolution order: {@code --data-dir}, then
 * {@code LAYERWISE_HOME}, then the folder chosen in the GUI (File → Data folder…), then the platform's
 * user data folder. The GUI and the CLI resolve the same way, so a run started on the command line
 * opens in the GUI.
 */
public final class DataDirectory {
    /** Preference key under {@link #preferences()} that holds the folder chosen in the GUI. */
    public static final String PREF_KEY = "dataDir";

    private DataDirectory() {}

    public static Path resolve(Path option) {
        return resolve(option, System.getenv(), preferences().get(PREF_KEY, null), System.getProperty("user.home"),
                System.getProperty("os.name", ""));
    }

    static Path resolve(Path option, Map<String, String> env, String chosen, String userHome, String osName) {
        if (option != null) return option.toAbsolutePath().normalize();
        String home = env.get("LAYERWISE_HOME");
        if (home != null && !home.isBlank()) return Path.of(home).toAbsolutePath().normalize();
        if (chosen != null && !chosen.isBlank()) return Path.of(chosen).toAbsolutePath().normalize();
        return platformDefault(env, userHome, osName);
    }

    static Path platformDefault(Map<String, String> env, String userHome, String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            String appData = env.get("APPDATA");
            return Path.of(appData != null ? appData : userHome, "Layerwise");
        }
        if (os.contains("mac")) return Path.of(userHome, "Library", "Application Support", "Layerwise");
        String xdg = env.get("XDG_DATA_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "layerwise") : Path.of(userHome, ".local", "share", "layerwise");
    }

    /** The application's preference node (window placement, theme, recent folders, data folder). */
    public static Preferences preferences() {
        return Preferences.userRoot().node("org/layerwise/app");
    }
}
