package org.layerwise.app.shell;

import javafx.application.Platform;
import javafx.concurrent.Task;
import org.layerwise.sdk.TaskExecutor;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Short background work for the shell and the workspaces: a javafx.concurrent.Task on a small daemon
 * pool, results delivered on the FX thread. Long work goes to the JobRunner instead.
 */
public final class FxTasks implements TaskExecutor, AutoCloseable {
    private final ExecutorService pool;

    public FxTasks(int threads) {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "layerwise-task-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public <T> void execute(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                return work.call();
            }
        };
        task.setOnSucceeded(e -> onSuccess.accept(task.getValue()));
        task.setOnFailed(e -> onFailure.accept(task.getException()));
        pool.execute(task);
    }

    /** Runs {@code r} on the FX thread, now if already there. */
    public static void onFx(Runnable r) {
        if (Platform.isFxApplicationThread()) r.run();
        else Platform.runLater(r);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
