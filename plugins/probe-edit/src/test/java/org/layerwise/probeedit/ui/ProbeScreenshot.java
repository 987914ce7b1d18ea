package org.layerwise.probeedit.ui;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.stage.Stage;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.model.LoadOptions;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.runs.SqliteRunStore;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the Probe & edit workspace on the sample fact model in a Stage, runs the prefilled probe and writes a PNG
 * of the window (not a test): {@code ProbeScreenshot OUT.png [MODEL_DIR]}, under
 * {@code xvfb-run -a -s "-screen 0 1600x1000x24" java -Dprism.order=sw ...} from the repository root.
 */
public final class ProbeScreenshot {
    private static Path out;
    private static Path modelDir;
    /** Which figure tab to show: 0 probe, 1 heatmap. */
    private static int figureTab;

    public static void main(String[] args) {
        out = Path.of(args[0]);
        modelDir = Path.of(args.length > 1 ? args[1] : "sample-data/models/facts-llama");
        figureTab = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Application.launch(App.class);
    }

    public static final class App extends Application {
        @Override
        public void start(Stage stage) throws Exception {
            Path data = Files.createTempDirectory("probe-screenshot");
            SqliteRunStore store = SqliteRunStore.open(data);
            WorkerPool pool = new WorkerPool(store, 1);
            TransformerModel model = TransformerModel.load(modelDir, new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32));
            ProbePanelTest.TestContext context = new ProbePanelTest.TestContext(model, store, pool);
            stage.setScene(new Scene((javafx.scene.Parent) new ProbeEditPlugin().createWorkspace(context), 1560, 960));
            stage.setTitle("Layerwise — Probe & edit");
            stage.show();
            new Thread(() -> {
                try {
                    Snapshots.fx(() -> ((Button) stage.getScene().lookup("#probe-run")).fire());
                    Snapshots.waitFor(120, () -> stage.getScene().lookup("#probe-job") == null
                            && !((Button) stage.getScene().lookup("#probe-run")).isDisabled());
                    Snapshots.fx(() -> {
                        var tabs = stage.getScene().getRoot().lookupAll(".tab-pane");
                        for (var t : tabs) {
                            var pane = (javafx.scene.control.TabPane) t;
                            if (pane.getTabs().size() == 4) pane.getSelectionModel().select(figureTab);
                        }
                    });
                    Thread.sleep(1500);
                    Snapshots.writePng(stage.getScene().getRoot(), out);
                    System.out.println("wrote " + out);
                } catch (Throwable t) {
                    t.printStackTrace();
                } finally {
                    pool.close();
                    store.close();
                    model.close();
                    Platform.exit();
                }
            }, "screenshot").start();
        }
    }
}
