package org.layerwise.sdk;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Runs short background work off the FX thread and hands the result back on it. The GUI uses a
 * javafx.concurrent.Task implementation; unit tests use {@link #synchronous()}.
 */
public interface TaskExecutor {
    <T> void execute(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);

    /** Runs everything on the calling thread: for view-model tests. */
    static TaskExecutor synchronous() {
        return new TaskExecutor() {
            @Override
            public <T> void execute(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
                T value;
                try {
                    value = work.call();
                } catch (Throwable t) {
                    onFailure.accept(t);
                    return;
                }
                onSuccess.accept(value);
            }
        };
    }
}
