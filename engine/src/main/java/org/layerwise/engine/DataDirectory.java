package org.layerwise.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The user data directory: the run store ({@code runs.db}), artifacts and caches. Chosen, first match wins:
 * <ol>
 *   <li>an explicit override (the CLI's {@code --data-dir}),</li>
 *   <li>the environment variable {@code LAYERWISE_HOME},</li>
 *   <li>the system property {@code layerwise.home},</li>
 *   <li>{@code $XDG_DATA_HOME/layerwise}, else {@code ~/.local/share/layerwise}.</li>
 * </ol>
 * A leading {@code ~/} in a configured value means the user's home directory.
 */
public final class DataDirectory {
    public static final String ENVIRONMENT_VARIABLE = "LAYERWISE_HOME";
    public static final String SYSTEM_PROPERTY = "layerwise.home";

    private DataDirectory() {}

    /** Resolves against this process's environment and system properties, and creates the directory. */
    public static Path resolve(Path override) {
        return create(locate(override, System.getenv(), System.getProperties(), Path.of(System.getProperty("user.home"))));
    }

    /** Where the data directory is, without touching the disk. */
    public static Path locate(Path override, Map<String, String> env, Properties properties, Path userHome) {
        if (override != null) return expand(override.toString(), userHome);
        String fromEnv = env.get(ENVIRONMENT_VARIABLE);
        if (isSet(fromEnv)) return expand(fromEnv, userHome);
        String fromProperty = properties.getProperty(SYSTEM_PROPERTY);
        if (isSet(fromProperty)) return expand(fromProperty, userHome);
        String xdg = env.get("XDG_DATA_HOME");
        // the XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored
        if (isSet(xdg) && Path.of(xdg).isAbsolute()) return Path.of(xdg, "layerwise");
        return userHome.resolve(".local").resolve("share").resolve("layerwise");
    }

    /** Creates the directory (and parents) and checks it is writable. */
    public static Path create(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Layerwise data directory " + dir + " (" + e
                    + "); choose another with --data-dir or " + ENVIRONMENT_VARIABLE, e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException("the Layerwise data directory " + dir + " is not writable; fix its "
                    + "permissions or choose another with --data-dir or " + ENVIRONMENT_VARIABLE);
        }
        return dir;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private static Path expand(String value, Path userHome) {
        String v = value.trim();
        if (v.equals("~")) return userHome.toAbsolutePath().normalize();
        if (v.startsWith("~/")) return userHome.resolve(v.substring(2)).toAbsolutePath().normalize();
        return Path.of(v).toAbsolutePath().normalize();
    }
}
