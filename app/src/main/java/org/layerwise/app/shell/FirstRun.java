package org.layerwise.app.shell;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.prefs.Preferences;

/**
 * The first start on this account (no {@code first-run.done} preference yet): the window opens on the
 * Probe & edit workspace, so with the sample fact model loading it is one click from a probe result.
 * Later starts reopen the workspace used last.
 */
public final class FirstRun {
    /** The workspace a new user sees first. */
    public static final String WORKSPACE = "probe-edit";
    /** The sample model opened at start-up when the user named none: the fact model the probe is set up for. */
    public static final String SAMPLE_MODEL = "facts-llama";
    private static final String DONE_KEY = "first-run.done";

    private final Preferences prefs;

    public FirstRun(Preferences prefs) {
        this.prefs = prefs;
    }

    public boolean pending() {
        return !prefs.getBoolean(DONE_KEY, false);
    }

    /** On the first start, selects the Probe & edit workspace (when that plugin is there) and says so once. */
    public void welcome(MainWindow window) {
        if (!pending()) return;
        prefs.putBoolean(DONE_KEY, true);
        boolean hasProbe = window.sidebar().entries().stream().anyMatch(e -> e.id().equals(WORKSPACE) && !e.isBroken());
        if (!hasProbe) return;
        window.select(WORKSPACE);
        window.status("Welcome to Layerwise: the sample fact model " + SAMPLE_MODEL + " opens in the model bar and the "
                + "probe is set up on its facts; run it from the Probe tab.");
    }

    /** The sample model to open when none was asked for: {@value #SAMPLE_MODEL} when shipped, else the first. */
    public static Optional<Path> startupSample(List<Path> samples) {
        return samples.stream().filter(p -> p.getFileName() != null && p.getFileName().toString().equals(SAMPLE_MODEL))
                .findFirst().or(() -> samples.stream().findFirst());
    }
}
