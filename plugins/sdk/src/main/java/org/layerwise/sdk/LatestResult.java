package org.layerwise.sdk;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * "Latest wins" for views that recompute on every change (a slider, a selection): each request supersedes the
 * ones before it, so a slow stale computation can never overwrite a newer result.
 * <p>
 * At most one computation runs at a time; while it runs, only the newest request waits (older waiting ones are
 * dropped unrun). When the running one finishes after being superseded its result is thrown away and the newest
 * request starts. Work that takes a {@link BooleanSupplier} can poll it and stop early once superseded
 * (throwing {@link CancellationException}, which is not reported as a failure).
 * <p>
 * Results and failures are delivered through the {@link TaskExecutor}, so on the FX thread in the GUI.
 * <pre>{@code
 * LatestResult<JFreeChart> refresh = new LatestResult<>(context.tasks(), panel::setChart, this::showError);
 * slider.valueProperty().addListener((o, a, b) -> refresh.request(() -> buildChart(b.intValue())));
 * }</pre>
 */
public final class LatestResult<T> {
    private final TaskExecutor tasks;
    private final Consumer<? super T> onResult;
    private final Consumer<Throwable> onFailure;

    private long latest;          // generation of the newest request
    private boolean running;
    private Function<BooleanSupplier, T> waiting; // newest request not yet started
    private long waitingGeneration;

    public LatestResult(TaskExecutor tasks, Consumer<? super T> onResult, Consumer<Throwable> onFailure) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.onResult = Objects.requireNonNull(onResult, "onResult");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    /** Asks for a new result; supersedes every earlier request. */
    public void request(Callable<T> work) {
        Objects.requireNonNull(work, "work");
        request(superseded -> {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new WorkFailed(e);
            }
        });
    }

    /** Like {@link #request(Callable)}, for work that checks {@code superseded.getAsBoolean()} to stop early. */
    public void request(Function<BooleanSupplier, T> work) {
        Objects.requireNonNull(work, "work");
        Function<BooleanSupplier, T> start;
        long generation;
        synchronized (this) {
            generation = ++latest;
            if (running) {
                waiting = work;
                waitingGeneration = generation;
                return;
            }
            running = true;
            start = work;
        }
        run(start, generation);
    }

    /** Drops every pending request: nothing already asked for will be delivered. */
    public synchronized void cancel() {
        latest++;
        waiting = null;
    }

    /** Whether a computation is running or waiting. */
    public synchronized boolean isBusy() {
        return running;
    }

    private synchronized boolean isCurrent(long generation) {
        return generation == latest;
    }

    private void run(Function<BooleanSupplier, T> work, long generation) {
        BooleanSupplier superseded = () -> !isCurrent(generation);
        try {
            tasks.execute(() -> work.apply(superseded),
                    value -> finished(generation, () -> onResult.accept(value)),
                    error -> finished(generation, () -> {
                        Throwable cause = error instanceof WorkFailed ? error.getCause() : error;
                        if (!(cause instanceof CancellationException)) {
                            onFailure.accept(cause);
                        }
                    }));
        } catch (RuntimeException rejected) { // e.g. the executor was shut down: do not stay busy forever
            synchronized (this) {
                running = false;
                waiting = null;
            }
            onFailure.accept(rejected);
        }
    }

    private void finished(long generation, Runnable deliver) {
        Function<BooleanSupplier, T> next;
        long nextGeneration;
        boolean current;
        synchronized (this) {
            current = generation == latest;
            next = waiting;
            nextGeneration = waitingGeneration;
            waiting = null;
            running = next != null;
        }
        if (current) {
            deliver.run();
        }
        if (next != null) {
            run(next, nextGeneration);
        }
    }

    /** Carries a checked exception out of the Function-shaped work. */
    private static final class WorkFailed extends RuntimeException {
        WorkFailed(Exception cause) {
            super(cause);
        }
    }
}
