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
 * Opens the Probe & edit workspace on the sample fact model in a Stage, switches to the Edit tab, runs one ROME
 * edit of the prefilled fact and writes a PNG of the window (not a test): {@code EditScreenshot OUT.png [MODEL_DIR]},
 * under {@code xvfb-run -a -s "-screen 0 1600x1000x24" java -Dprism.order=sw ...} from the repository root.
 */
public final class EditScreenshot {
    private static Path out;
    private static Path modelDir;

    public static void main(String[] args) {
        out = Path.of(args[0]);
        modelDir = Path.of(args.length > 1 ? args[1] : "sample-data/models/facts-llama");
        Application.launch(App.class);
    }

    public static final class App extends Application {
        @Override
        public void start(Stage stage) throws Exception {
            Path data = Files.createTempDirectory("edit-screenshot");
            SqliteRunStore store = SqliteRunStore.open(data);
            WorkerPool pool = new WorkerPool(store, 1);
            TransformerModel model = TransformerModel.load(modelDir, new LoadOptions(LoadOptions.DeviceChoice.CPU, LoadOptions.DtypeChoice.FLOAT32));
            ProbePanelTest.TestContext context = new ProbePanelTest.TestContext(model, store, pool);
            javafx.scene.control.TabPane root = (javafx.scene.control.TabPane) new ProbeEditPlugin().createWorkspace(context);
            root.getSelectionModel().select(1);
            stage.setScene(new Scene(root, 1560, 960));
            stage.setTitle("Layerwise — Probe & edit");
            stage.show();
            new Thread(() -> {
                try {
                    Thread.sleep(3000);      // let the prefill from counterfact.json land first
                    Snapshots.fx(() -> {
                        EditPanel p = (EditPanel) stage.getScene().lookup("#edit-panel");
                        p.prompt.setText("The capital of {} is");
                        p.subject.setText("France");
                        p.targetNew.setText("Berlin");
                        p.targetTrue.setText("Paris");
                        p.method.setValue(org.layerwise.probeedit.method.edit.EditMethod.ROME);
                        p.preset.setValue("rome-facts-llama");
                        p.edit.fire();
                    });
                    Snapshots.waitFor(300, () -> stage.getScene().lookup("#edit-job") == null
                            && !((Button) stage.getScene().lookup("#edit-run")).isDisabled());
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
