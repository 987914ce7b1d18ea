package org.layerwise.rationale.ui;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.layerwise.rationale.method.GridResult;

import javax.imageio.ImageIO;
import java.nio.file.Path;

/**
 * Renders the workspace with a recorded result and writes a PNG:
 * {@code xvfb-run -a -s "-screen 0 1600x1000x24" java -Dprism.order=sw -cp … org.layerwise.rationale.ui.RationaleScreenshot
 * docs/rationale-results.json docs/rationale-workspace.png [tab]} (tab: 0 results, 1 crossover, 2 paired items).
 */
public final class RationaleScreenshot {
    public static void main(String[] args) { Application.launch(Shot.class, args); }

    /** The application (a nested class: a main class extending Application needs JavaFX on the module path). */
    public static final class Shot extends Application {
    @Override
    public void start(Stage stage) throws Exception {
        var args = getParameters().getRaw();
        GridResult result = GridResult.read(Path.of(args.get(0)));
        Path out = Path.of(args.get(1));
        int tab = args.size() > 2 ? Integer.parseInt(args.get(2)) : 2;
        RationaleWorkspace ws = new RationaleWorkspace(new RationaleWorkspaceTest.QuietContext());
        stage.setScene(new Scene(ws, 1600, 1000));
        stage.show();
        ws.show(result);
        ((TabPane) ws.getCenter()).getSelectionModel().select(tab);
        new Thread(() -> {
            try {
                Thread.sleep(2500);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            Platform.runLater(() -> {
                try {
                    ImageIO.write(SwingFXUtils.fromFXImage(ws.snapshot(null, null), null), "png", out.toFile());
                    System.out.println("wrote " + out);
                } catch (Exception e) {
                    e.printStackTrace();
                }
                Platform.exit();
            });
        }).start();
    }

    }
}
