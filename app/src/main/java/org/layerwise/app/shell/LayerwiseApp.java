package org.layerwise.app.shell;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The JavaFX application. {@code init} opens the services off the FX thread (run store, orphaned runs
 * marked interrupted, job runner); {@code start} builds the main window and loads the start-up model in
 * a job; {@code stop} cancels jobs, closes models and the store, and remembers the window.
 */
public final class LayerwiseApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(LayerwiseApp.class);
    private static volatile ShellLaunch request;
    private static volatile int exitCode;
    /** Held so the logger keeps its level: JavaFX warns on every start that it runs from the class path. */
    private static final java.util.logging.Logger FX_PLATFORM_LOG =
            java.util.logging.Logger.getLogger("javafx");

    private ShellWiring wiring;
    private Throwable openFailure;
    private MainWindow window;
    private WindowPlacement placement;
    private Stage stage;

    /** Starts JavaFX with {@code launch} and returns when the last window closed. */
    static int launchAndWait(ShellLaunch launch) {
        request = launch;
        exitCode = 0;
        FX_PLATFORM_LOG.setLevel(java.util.logging.Level.SEVERE);
        try {
            Application.launch(LayerwiseApp.class);
            return exitCode;
        } catch (RuntimeException e) {
            String reason = Failures.describe(e);
            System.err.println("error: the window could not be opened: " + reason);
            if (reason.contains("DISPLAY")) {
                System.err.println("The GUI needs a desktop session; on a server run it under xvfb-run, or use a "
                        + "command instead (./layerwise --help lists them).");
            }
            return 1;
        }
    }

    @Override
    public void init() {
        try {
            wiring = ShellWiring.open(request);
        } catch (Throwable t) {
            openFailure = t;
        }
    }

    @Override
    public void start(Stage stage) {
        this.stage = stage;
        if (openFailure != null) {
            exitCode = 1;
            LOG.error("Start-up failed", openFailure);
            Alert alert = new Alert(Alert.AlertType.ERROR);
            alert.setTitle("Layerwise");
            alert.setHeaderText("Layerwise could not open its data folder " + request.dataDir());
            alert.setContentText(Failures.describe(openFailure) + "\n\nCheck that the folder is writable and "
                    + "not used by another program, or start with --data-dir pointing to another folder.");
            Theme.LIGHT.applyTo(alert.getDialogPane());
            alert.showAndWait();
            Platform.exit();
            return;
        }
        Workbench workbench = wiring.workbench();
        window = new MainWindow(workbench, stage, p -> getHostServices().showDocument(p.toUri().toString()));
        placement = new WindowPlacement(workbench.prefs());
        placement.restore(stage);
        stage.setOnCloseRequest(e -> {
            if (!window.confirmQuit()) e.consume();
        });
        stage.show();
        if (wiring.orphansMarked() > 0) {
            window.status(wiring.orphansMarked() + " run(s) left running by an earlier session are now marked interrupted.");
        }
        new FirstRun(workbench.prefs()).welcome(window);
        startupModel(workbench).ifPresent(window.models()::load);
    }

    private Optional<Path> startupModel(Workbench workbench) {
        if (request.modelFolder() != null) return Optional.of(request.modelFolder());
        return FirstRun.startupSample(workbench.sampleModels());
    }

    @Override
    public void stop() {
        if (window != null) {
            placement.save(stage);
            window.shutdown();
        }
        if (wiring != null) wiring.close();
    }
}
