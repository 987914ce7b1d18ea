package org.layerwise.flatness.ui;

import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.runs.SqliteRunStore;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Screenshot of the workspace for docs/flatness-workspace.png: runs C&amp;F on split MNIST in a real window (one
 * epoch per task), computes the views on an 11×11 grid and snapshots the views tab and the accuracy tab.
 * <pre>xvfb-run -a -s "-screen 0 1600x1000x24" java -Dprism.order=sw -Dai.djl.offline=true -cp … org.layerwise.flatness.ui.FlatnessScreenshot docs</pre>
 */
public final class FlatnessScreenshot {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs");
        Path data = Files.createTempDirectory("flatness-shot");
        try (SqliteRunStore store = SqliteRunStore.open(data); WorkerPool pool = new WorkerPool(store, 1)) {
            CountDownLatch started = new CountDownLatch(1);
            Platform.startup(started::countDown);
            started.await();
            AtomicReference<FlatnessWorkspace> ws = new AtomicReference<>();
            AtomicReference<Stage> stage = new AtomicReference<>();
            Platform.runLater(() -> {
                FlatnessWorkspace w = new FlatnessWorkspace(new TestContext(store, pool));
                Stage s = new Stage();
                s.setScene(new Scene(w, 1500, 940));
                s.setTitle("Layerwise — Flatness");
                s.show();
                ws.set(w);
                stage.set(s);
            });
            while (ws.get() == null || ws.get().viewModel().sequenceProperty().get() == null) Thread.sleep(200);
            Platform.runLater(() -> ws.get().lookupAll(".button").stream().map(n -> (javafx.scene.control.Button) n)
                    .filter(b -> "Run".equals(b.getText())).findFirst().orElseThrow().fire());
            while (ws.get().viewModel().finishedProperty().get() == null) Thread.sleep(500);
            Platform.runLater(() -> {
                TabPane tabs = (TabPane) ws.get().lookup(".tab-pane");
                tabs.getSelectionModel().select(2);
                ws.get().lookupAll(".spinner").stream().map(n -> (javafx.scene.control.Spinner<?>) n)
                        .filter(sp -> Integer.valueOf(21).equals(sp.getValue())).findFirst()
                        .ifPresent(sp -> ((javafx.scene.control.Spinner<Integer>) sp).getValueFactory().setValue(11));
                ws.get().lookupAll(".button").stream().map(n -> (javafx.scene.control.Button) n)
                        .filter(b -> "Compute views".equals(b.getText())).findFirst().orElseThrow().fire();
            });
            while (ws.get().viewsGrid().getChildren().size() < 9) Thread.sleep(500);
            Thread.sleep(1500);
            snap(ws.get(), out.resolve("flatness-workspace.png"));
            Platform.runLater(() -> ((TabPane) ws.get().lookup(".tab-pane")).getSelectionModel().select(0));
            Thread.sleep(1500);
            snap(ws.get(), out.resolve("flatness-workspace-accuracy.png"));
            Platform.runLater(() -> stage.get().close());
        }
        Platform.exit();
        System.exit(0);
    }

    private static void snap(FlatnessWorkspace w, Path file) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Exception> err = new AtomicReference<>();
        Platform.runLater(() -> {
            try {
                ImageIO.write(SwingFXUtils.fromFXImage(w.getScene().getRoot().snapshot(null, null), null), "png", file.toFile());
            } catch (Exception e) {
                err.set(e);
            }
            done.countDown();
        });
        done.await();
        if (err.get() != null) throw err.get();
        System.out.println("wrote " + file);
    }
}
