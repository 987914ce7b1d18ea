package org.layerwise.sdk.plugin;

import org.layerwise.sdk.WorkbenchPlugin;

import java.util.Objects;

/**
 * What happened to one plugin provider: loaded (with its plugin) or failed (with a reason a user can act on).
 *
 * @param provider the provider's class name as listed in META-INF/services (or as far as it is known)
 * @param plugin   the instance, or null when it failed
 * @param reason   why it failed and what to do, or null when loaded
 * @param cause    the underlying error, or null
 */
public record PluginLoadResult(String provider, WorkbenchPlugin plugin, String reason, Throwable cause) {
    public PluginLoadResult {
        Objects.requireNonNull(provider, "provider");
        if ((plugin == null) == (reason == null)) {
            throw new IllegalArgumentException("a result has either a plugin or a reason, not both or neither");
        }
    }

    public static PluginLoadResult loaded(WorkbenchPlugin plugin) {
        return new PluginLoadResult(plugin.getClass().getName(), plugin, null, null);
    }

    public static PluginLoadResult failed(String provider, String reason, Throwable cause) {
        return new PluginLoadResult(provider, null, reason, cause);
    }

    public boolean isLoaded() {
        return plugin != null;
    }

    /** A name to show for the workspace: its title when loaded, else the provider's simple class name. */
    public String displayName() {
        if (plugin != null) {
            return plugin.title();
        }
        int dot = provider.lastIndexOf('.');
        return dot >= 0 ? provider.substring(dot + 1) : provider;
    }
}
