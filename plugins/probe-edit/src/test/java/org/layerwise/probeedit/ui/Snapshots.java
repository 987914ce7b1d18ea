package org.layerwise.probeedit.ui;

import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;

import javax.imageio.ImageIO;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** What the workspace screenshot mains share: run on the FX thread and wait, and write a node as a PNG. */
final class Snapshots {
    private Snapshots() {}

    /** Runs {@code r} on the FX thread and waits for it (30 s at most), rethrowing what it threw. */
    static void fx(Runnable r) throws Exception {
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

    /** Polls {@code condition} on the FX thread until it holds or {@code seconds} have passed. */
    static void waitFor(int seconds, java.util.function.BooleanSupplier condition) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            CompletableFuture<Boolean> done = new CompletableFuture<>();
            Platform.runLater(() -> done.complete(condition.getAsBoolean()));
            if (done.get(10, TimeUnit.SECONDS)) return;
            Thread.sleep(250);
        }
    }

    /** Snapshots {@code node} on the FX thread into {@code out} (PNG). */
    static void writePng(Node node, Path out) throws Exception {
        CompletableFuture<Void> shot = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                ImageIO.write(SwingFXUtils.fromFXImage(node.snapshot(null, null), null), "png", out.toFile());
                shot.complete(null);
            } catch (Exception e) {
                shot.completeExceptionally(e);
            }
        });
        shot.get(30, TimeUnit.SECONDS);
    }
}
