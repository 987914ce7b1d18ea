package org.layerwise.app.shell;

/** Starts the GUI and blocks until the window closes; returns the process exit code. */
@FunctionalInterface
public interface GuiLauncher {
    int launch(ShellLaunch request);

    /** The real one: JavaFX's launcher with {@link LayerwiseApp}. */
    static GuiLauncher javafx() {
        return LayerwiseApp::launchAndWait;
    }
}
