package org.layerwise.tests.gui;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.layerwise.app.shell.EngineModelLoader;
import org.layerwise.app.shell.MainWindow;
import org.layerwise.app.shell.ModelLoader;
import org.layerwise.app.shell.Theme;
import org.layerwise.app.shell.Workbench;
import org.layerwise.app.shell.WorkspaceEntry;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.sdk.figure.ChartFigureExport;
import org.layerwise.sdk.fx.FxTaskExecutor;
import org.layerwise.sdk.plugin.PluginLoader;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.prefs.Preferences;

/**
 * Drives the real shell through the states shown in the README and writes a PNG of each (not a test; run
 * under Xvfb or Monocle): {@code ScreenshotTour DATA_DIR OUT_DIR [MODEL_DIR]}. The playground generates on
 * the model ({@code -Dtour.scripted=true}: a scripted stand-in), then the same window is captured in the dark theme and with the runs browser comparing the
 * two most recent runs that share a metric.
 */
public final class ScreenshotTour {
    private static Path dataDir;
    private static Path outDir;
    private static Path modelDir;

    public static void main(String[] args) {
        dataDir = Path.of(args[0]);
        outDir = Path.of(args[1]);
        modelDir = args.length > 2 ? Path.of(args[2]) : null;
        // the main class must not extend Application when JavaFX is on the class path
        Application.launch(TourApp.class);
    }

    public static final class TourApp extends Application {
        @Override
        public void start(Stage stage) throws Exception {
            new ScreenshotTour().start(stage);
        }
    }

    private void start(Stage stage) throws Exception {
        Files.createDirectories(outDir);
        SqliteRunStore store = SqliteRunStore.open(dataDir);
        store.markOrphansInterrupted();
        WorkerPool jobs = new WorkerPool(store, 2);
        Preferences prefs = Preferences.userRoot().node("org/layerwise/tour-" + System.nanoTime());
        // -Dtour.scripted=true draws the playground with a scripted model (no weights needed)
        ModelLoader loader = Boolean.getBoolean("tour.scripted")
                ? (folder, ctx) -> new ScriptedLanguageModel(folder, List.of(" Paris", ",", " the", " capital",
                        " of", " France", ".", " It", " was", " built", " in", " 1889", "."), 30)
                : new EngineModelLoader(org.layerwise.engine.model.LoadOptions.defaults());
        Workbench workbench = new Workbench(store.dataDir(), store, jobs, loader,
                new ChartFigureExport(), new FxTaskExecutor(), prefs, new PluginLoader().load(), List.of());
        MainWindow window = new MainWindow(workbench, stage, null);
        stage.setWidth(Double.parseDouble(System.getProperty("tour.width", "1440")));
        stage.setHeight(Double.parseDouble(System.getProperty("tour.height", "900")));
        stage.show();
        new Thread(() -> {
            try {
                tour(window, stage, workbench);
            } catch (Throwable t) {
                t.printStackTrace();
            } finally {
                try {
                    fx(stage::hide); // it saves its layout into prefs, removed below
                } catch (Exception ignored) {
                    // exiting anyway
                }
                jobs.close();
                store.close();
                try {
                    prefs.removeNode();
                } catch (Exception ignored) {
                    // a leftover test node is harmless
                }
                Platform.exit();
            }
        }, "tour").start();
    }

    private void tour(MainWindow window, Stage stage, Workbench workbench) throws Exception {
        fx(() -> window.select("playground"));
        if (modelDir != null) {
            fx(() -> window.models().load(modelDir));
            waitFor(120, () -> window.models().selected().get() != null);
            fx(() -> {
                TextArea prompt = (TextArea) stage.getScene().lookup("#playground-prompt");
                prompt.setText(System.getProperty("tour.prompt", "By profession, Marie Curie was"));
                ((Button) stage.getScene().lookup("#playground-generate")).fire();
            });
            waitFor(120, () -> workbench.jobs().active().isEmpty() && window.jobs().runningCount() == 0);
            Thread.sleep(800);
        }
        snap(stage, "main-window.png");
        fx(() -> ((javafx.scene.control.TabPane) stage.getScene().lookup("#bottom-tabs")).getSelectionModel().select(1));
        Thread.sleep(300);
        snap(stage, "log.png");
        fx(() -> ((javafx.scene.control.TabPane) stage.getScene().lookup("#bottom-tabs")).getSelectionModel().select(0));
        fx(() -> window.setTheme(Theme.DARK));
        Thread.sleep(500);
        snap(stage, "main-window-dark.png");
        fx(() -> {
            window.setTheme(Theme.LIGHT);
            window.select("builder");
        });
        Thread.sleep(1500);
        snap(stage, "builder.png");
        pretrainSmallBert(stage, window, workbench);
        fx(() -> window.select(WorkspaceEntry.RUNS_ID));
        Thread.sleep(1500);
        fx(() -> {
            @SuppressWarnings("unchecked")
            TableView<RunRecord> table = (TableView<RunRecord>) stage.getScene().lookup("#runs-table");
            if (table.getItems().size() >= 2) {
                table.getSelectionModel().selectIndices(0, 1);
                ((Button) stage.getScene().lookup("#runs-compare")).fire();
            }
        });
        Thread.sleep(1500);
        snap(stage, "runs-browser.png");
        fx(() -> {
            @SuppressWarnings("unchecked")
            TableView<RunRecord> table = (TableView<RunRecord>) stage.getScene().lookup("#runs-table");
            if (!table.getItems().isEmpty()) {
                table.getSelectionModel().clearAndSelect(0);
                window.runsBrowser().open(table.getItems().get(0));
            }
        });
        Thread.sleep(1500);
        snap(stage, "run-details.png");
        fx(window::showAbout);
        Thread.sleep(4000);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                for (javafx.stage.Window w : List.copyOf(javafx.stage.Window.getWindows())) {
                    if (w != stage && w.getScene() != null) {
                        ImageIO.write(SwingFXUtils.fromFXImage(w.getScene().getRoot().snapshot(null, null), null),
                                "png", outDir.resolve("about.png").toFile());
                        ((Stage) w).close();
                    }
                }
                done.complete(null);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        });
        done.get(30, TimeUnit.SECONDS);
    }

    /**
     * The builder on a small BERT (the bert preset shrunk: post-LN, word+pos+seg, embedding LayerNorm, targets
     * [mlm, sp]) pretrained on the fact world's sentences grouped into documents by their first word: the
     * architecture, then the per-target loss curves.
     */
    private static void pretrainSmallBert(Stage stage, MainWindow window, Workbench workbench) throws Exception {
        Path install = Path.of(System.getProperty("layerwise.install", "."));
        Path sentences = install.resolve("sample-data/world/train.txt");
        if (!java.nio.file.Files.isRegularFile(sentences)) return;
        java.util.List<String> sorted = new java.util.ArrayList<>(java.nio.file.Files.readAllLines(sentences));
        java.util.Collections.sort(sorted);
        StringBuilder docs = new StringBuilder();
        String previous = null;
        for (String line : sorted) {
            String first = line.split(" ", 2)[0];
            if (previous != null && !first.equals(previous)) docs.append('\n');
            docs.append(line).append('\n');
            previous = first;
        }
        Path work = java.nio.file.Files.createTempDirectory("layerwise-tour-bert");
        Path corpus = java.nio.file.Files.writeString(work.resolve("documents.txt"), docs);
        // the bert preset's choices (plugins/builder presets/bert.json) at a CPU size
        String config = """
                {
                  "hidden_size": 64, "layers_num": 2, "heads_num": 4, "feedforward_size": 128, "max_seq_length": 48,
                  "vocab_size": 0, "embedding": ["word", "pos", "seg"], "remove_embedding_layernorm": false,
                  "encoder": "transformer", "mask": "fully_visible", "layernorm_positioning": "post", "layernorm": "normal",
                  "layernorm_eps": 1e-12, "feed_forward": "dense", "hidden_act": "gelu", "parallel_residual": false,
                  "remove_transformer_bias": false, "rotary": "none", "tie_weights": true, "target": ["mlm", "sp"],
                  "mask_token": "<|endoftext|>", "learning_rate": 1e-3, "min_learning_rate": 1e-4, "warmup_steps": 30,
                  "total_steps": 900, "eval_every": 100, "batch_size": 16
                }
                """;
        fx(() -> ((javafx.scene.control.TextArea) stage.getScene().lookup("#builder-json")).setText(config));
        Thread.sleep(1500);
        snap(stage, "builder-bert.png");
        fx(() -> {
            ((javafx.scene.control.TabPane) stage.getScene().lookup("#builder-tabs")).getSelectionModel().select(2);
            ((javafx.scene.control.TextField) stage.getScene().lookup("#builder-corpus")).setText(corpus.toString());
            ((javafx.scene.control.TextField) stage.getScene().lookup("#builder-tokenizer"))
                    .setText(install.resolve("sample-data/tokenizers/facts").toString());
            ((javafx.scene.control.TextField) stage.getScene().lookup("#builder-out")).setText(work.resolve("bert-small").toString());
            ((Button) stage.getScene().lookup("#builder-start")).fire();
        });
        Thread.sleep(1000);
        waitFor(600, () -> workbench.jobs().active().isEmpty() && window.jobs().runningCount() == 0);
        Thread.sleep(1500);
        snap(stage, "builder-pretrain.png");
        // the t5-small preset's stack: embedding, encoder, target embedding, decoder, target
        fx(() -> {
            ((javafx.scene.control.TabPane) stage.getScene().lookup("#builder-tabs")).getSelectionModel().select(0);
            ((javafx.scene.control.TextArea) stage.getScene().lookup("#builder-json")).setText("""
                    {"hidden_size": 512, "layers_num": 6, "heads_num": 8, "head_size": 64, "feedforward_size": 2048,
                     "max_seq_length": 512, "vocab_size": 32128, "embedding": ["word"], "remove_embedding_layernorm": true,
                     "encoder": "transformer", "mask": "fully_visible", "layernorm_positioning": "pre", "layernorm": "rms",
                     "layernorm_eps": 1e-6, "feed_forward": "dense", "hidden_act": "relu", "remove_transformer_bias": true,
                     "rotary": "none", "relative_position": true, "target_embedding": ["word"], "decoder": "transformer",
                     "decoder_layers_num": 6, "tie_weights": true, "target": ["lm"]}
                    """);
        });
        Thread.sleep(1500);
        snap(stage, "builder-t5.png");
    }

    private static void snap(Stage stage, String name) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                Node root = stage.getScene().getRoot();
                ImageIO.write(SwingFXUtils.fromFXImage(root.snapshot(null, null), null), "png",
                        outDir.resolve(name).toFile());
                done.complete(null);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        });
        done.get(30, TimeUnit.SECONDS);
        System.out.println("wrote " + outDir.resolve(name));
    }

    private static void fx(Runnable r) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                r.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.get(30, TimeUnit.SECONDS);
    }

    private static void waitFor(int seconds, BooleanSupplier condition) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            CompletableFuture<Boolean> ok = new CompletableFuture<>();
            Platform.runLater(() -> ok.complete(condition.getAsBoolean()));
            if (ok.get(10, TimeUnit.SECONDS)) return;
            Thread.sleep(200);
        }
        throw new IllegalStateException("timed out after " + seconds + " s");
    }
}
