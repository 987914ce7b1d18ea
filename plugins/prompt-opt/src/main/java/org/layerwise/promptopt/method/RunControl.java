package org.layerwise.promptopt.method;

import org.layerwise.engine.jobs.JobCancelledException;

import java.util.function.BooleanSupplier;

/**
 * Pause, resume and cancel for a running optimisation. The loop calls {@link #checkpoint()} between model calls: it
 * blocks while paused and throws when cancelled, so a pause or a cancel lands within one model call and every step
 * finished before it is already recorded.
 */
public final class RunControl {
    private final BooleanSupplier cancelled;
    private boolean paused;

    public RunControl(BooleanSupplier cancelled) { this.cancelled = cancelled; }

    public static RunControl none() { return new RunControl(() -> false); }

    public synchronized void pause() { paused = true; }

    public synchronized void resume() {
        paused = false;
        notifyAll();
    }

    public synchronized boolean paused() { return paused; }

    /** Waits while paused; throws {@link JobCancelledException} when the run was cancelled. */
    public void checkpoint() {
        synchronized (this) {
            while (paused && !cancelled.getAsBoolean()) {
                try {
                    wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new JobCancelledException();
                }
            }
        }
        if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) throw new JobCancelledException();
    }

}
