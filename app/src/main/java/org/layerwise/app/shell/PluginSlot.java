package org.layerwise.app.shell;

import org.layerwise.sdk.WorkbenchPlugin;

/**
 * One discovered workspace plugin, or the reason it could not be loaded. A failed slot still gets a
 * sidebar entry that shows the reason, so one broken plugin never hides the others.
 *
 * @param source the provider class name (what to look for in the plugin's jar)
 */
public record PluginSlot(String id, String title, WorkbenchPlugin plugin, String source, Throwable failure) {
    public static PluginSlot loaded(WorkbenchPlugin plugin) {
        return new PluginSlot(plugin.id(), plugin.title(), plugin, plugin.getClass().getName(), null);
    }

    public static PluginSlot failed(String source, Throwable failure) {
        String simple = source.substring(source.lastIndexOf('.') + 1);
        return new PluginSlot(source, simple + " (failed to load)", null, source, failure);
    }

    public boolean loaded() {
        return failure == null;
    }
}
