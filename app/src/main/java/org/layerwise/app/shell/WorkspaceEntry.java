package org.layerwise.app.shell;

import java.net.URL;

/**
 * One sidebar entry: a plugin's workspace, a plugin that failed to load, or the built-in runs browser.
 *
 * @param slot the plugin (loaded or failed); null for the runs browser
 */
public record WorkspaceEntry(String id, String title, String description, URL icon, PluginSlot slot) {
    public static final String RUNS_ID = "runs";

    static WorkspaceEntry of(PluginSlot slot) {
        if (!slot.loaded()) {
            return new WorkspaceEntry(slot.id(), slot.title(), "Could not be loaded: " + ErrorReporter.describe(slot.failure()),
                    Icons.url("broken"), slot);
        }
        String description;
        URL icon;
        try {
            description = slot.plugin().description();
            icon = slot.plugin().icon();
        } catch (RuntimeException | LinkageError e) {
            description = "";
            icon = null;
        }
        return new WorkspaceEntry(slot.id(), slot.title(), description, icon != null ? icon : Icons.url("workspace"), slot);
    }

    static WorkspaceEntry runs() {
        return new WorkspaceEntry(RUNS_ID, "Runs", "Every recorded run: open, compare, delete, export a bundle",
                Icons.url("runs"), null);
    }

    public boolean isRunsBrowser() {
        return slot == null;
    }

    public boolean isBroken() {
        return slot != null && !slot.loaded();
    }
}
