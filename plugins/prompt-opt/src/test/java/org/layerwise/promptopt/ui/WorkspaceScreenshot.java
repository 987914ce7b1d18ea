package org.layerwise.promptopt.ui;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.control.TreeItem;
import javafx.stage.Stage;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.promptopt.method.Candidate;

import javax.imageio.ImageIO;
import java.nio.file.Path;

/**
 * Renders the trace view of a recorded run to a PNG (docs/prompt-opt-workspace.png):
 * {@code xvfb-run -a -s "-screen 0 1600x1000x24" java -Dprism.order=sw -cp … org.layerwise.promptopt.ui.WorkspaceScreenshot
 * DATA_DIR RUN_ID OUT.png [CANDIDATE_ID [TAB_INDEX]]}. DATA_DIR {@code --scripted} records the scripted run of
 * the workspace tests ({@link SampleTrace}) in a fresh store first (RUN_ID is then ignored).
 */
public final class WorkspaceScreenshot {
    static String[] args;

    public static void main(String[] a) {
        args = a;
        // the main class must not extend Application when JavaFX is on the class path
        Application.launch(App.class);
    }

    public static final class App extends Application {
        @Override public void start(Stage stage) throws Exception {
            boolean scripted = args[0].equals("--scripted");
            SqliteRunStore store = SqliteRunStore.open(scripted ? java.nio.file.Files.createTempDirectory("promptopt-shot") : Path.of(args[0]));
            long run = scripted ? SampleTrace.record(store) : Long.parseLong(args[1]);
            PromptOptWorkspace w = new PromptOptWorkspace(new PromptOptWorkspaceTest.StoreContext(store));
            stage.setScene(new Scene(w, 1560, 960));
            stage.show();
            w.open(run);
            int candidate = args.length > 3 ? Integer.parseInt(args[3]) : -1;
            int tab = args.length > 4 ? Integer.parseInt(args[4]) : 0;
            if (candidate >= 0) select(w, w.candidateTree().getRoot(), candidate);
            w.tabs().getSelectionModel().select(tab);
            new Thread(() -> {
                try {
                    Thread.sleep(2500);
                    Platform.runLater(() -> {
                        try {
                            ImageIO.write(SwingFXUtils.fromFXImage(stage.getScene().getRoot().snapshot(null, null), null), "png",
                                    Path.of(args[2]).toFile());
                            System.out.println("wrote " + args[2]);
                        } catch (Exception e) {
                            e.printStackTrace();
                        } finally {
                            store.close();
                            Platform.exit();
                        }
                    });
                } catch (InterruptedException ignored) {
                    Platform.exit();
                }
            }).start();
        }
    }

    private static boolean select(PromptOptWorkspace w, TreeItem<Candidate> item, int id) {
        if (item == null) return false;
        if (item.getValue().id() == id) {
            w.candidateTree().getSelectionModel().select(item);
            return true;
        }
        for (TreeItem<Candidate> c : item.getChildren()) if (select(w, c, id)) return true;
        return false;
    }
}
