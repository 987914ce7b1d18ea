package org.layerwise.modelselect.ui;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.control.TabPane;
import javafx.stage.Stage;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Screenshot of the workspace for the docs: opens a repository, runs a simulated selection and snaps the
 * halving tab. Run under xvfb-run -a -s "-screen 0 1600x1000x24" java -Dprism.order=sw …
 * Usage: WorkspaceScreenshot REPOSITORY TARGET THRESHOLD RECALL OUT.png [TAB_INDEX, default 4 = Halving]
 */
public final class WorkspaceScreenshot {
    static String[] args;

    public static void main(String[] a) {
        args = a;
        Application.launch(App.class);
    }

    public static final class App extends Application {
        @Override
        public void start(Stage stage) throws Exception {
            TestContext context = new TestContext(Files.createTempDirectory("model-select-shot"));
            ModelSelectWorkspace ws = new ModelSelectWorkspace(context);
            stage.setScene(new Scene(ws, 1500, 950));
            stage.show();
            new Thread(() -> {
                try {
                    fx(() -> ws.open(Path.of(args[0])));
                    Thread.sleep(1500);
                    fx(() -> {
                        ws.targetBox().setValue(args[1]);
                        ws.modeBox().setValue("simulate");       // replays recorded curves: a screenshot should not fine-tune
                    });
                    fx(() -> setField(stage, 1, args[2]));
                    fx(() -> setField(stage, 2, args[3]));
                    fx(ws::recluster);
                    Thread.sleep(1000);
                    var job = new java.util.concurrent.atomic.AtomicReference<org.layerwise.engine.jobs.JobHandle<?>>();
                    fx(() -> job.set(ws.runSelection()));
                    job.get().result().get(600, TimeUnit.SECONDS);
                    Thread.sleep(1500);
                    fx(() -> ((TabPane) ws.getCenter()).getSelectionModel().select(args.length > 5 ? Integer.parseInt(args[5]) : 4));
                    Thread.sleep(1500);
                    fx(() -> {
                        try {
                            ImageIO.write(SwingFXUtils.fromFXImage(stage.getScene().snapshot(null), null), "png", Path.of(args[4]).toFile());
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    });
                    context.close();
                } catch (Throwable t) {
                    t.printStackTrace();
                } finally {
                    Platform.exit();
                }
            }).start();
        }
    }

    /** Sets the n-th of the threshold / recall / epochs fields (after repository, target editor). */
    static void setField(Stage stage, int which, String value) {
        var fields = stage.getScene().getRoot().lookupAll(".text-field").stream()
                .filter(n -> n instanceof javafx.scene.control.TextField && !(n.getParent() instanceof javafx.scene.control.ComboBox))
                .map(n -> (javafx.scene.control.TextField) n).toList();
        // order: repository, threshold, recall, epochs (the target box's editor is skipped)
        fields.get(which).setText(value);
    }

    static void fx(Runnable r) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Throwable[] err = new Throwable[1];
        Platform.runLater(() -> {
            try {
                r.run();
            } catch (Throwable t) {
                err[0] = t;
            } finally {
                done.countDown();
            }
        });
        done.await(60, TimeUnit.SECONDS);
        if (err[0] != null) throw new RuntimeException(err[0]);
    }
}
