package org.layerwise.app.shell;

import org.layerwise.sdk.plugin.PluginLoadResult;

import java.net.URL;

/**
 * One sidebar entry: a plugin's workspace, a plugin that failed to load, or the built-in runs browser.
 *
 * @param slot the plugin (loaded or failed); null for the runs browser
 */
public record WorkspaceEntry(String id, String title, String description, URL icon, PluginLoadResult slot) {
    public static final String RUNS_ID = "runs";

    static WorkspaceEntry of(PluginLoadResult slot) {
        if (!slot.isLoaded()) {
            return new WorkspaceEntry(slot.provider(), slot.displayName(), "Could not be loaded: " + slot.reason(),
                    Icons.url("broken"), slot);
        }
        String id;
        String title;
        String description;
        URL icon;
        try {
            id = slot.plugin().id();
            title = slot.plugin().title();
            description = slot.plugin().description();
            icon = slot.plugin().icon();
        } catch (RuntimeException | LinkageError e) {
            // the loader checked id and title once; a plugin that now throws shows as broken when opened
            id = slot.provider();
            title = slot.displayName();
            description = "";
            icon = null;
        }
        return new WorkspaceEntry(id, title, description, icon != null ? icon : Icons.url("workspace"), slot);
    }

    static WorkspaceEntry runs() {
        return new WorkspaceEntry(RUNS_ID, "Runs", "Every recorded run: open, compare, delete, export a bundle",
                Icons.url("runs"), null);
    }

    public boolean isRunsBrowser() {
        return slot == null;
    }

    public boolean isBroken() {
        return slot != null && !slot.isLoaded();
    }
}
