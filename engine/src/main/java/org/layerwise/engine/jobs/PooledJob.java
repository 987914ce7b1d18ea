package org.layerwise.engine.jobs;

import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One submitted job: its handle (state, progress, result, cancel) and the context the job reports through.
 * Cancelling sets a flag the job polls ({@link JobContext#checkCancelled()}) and interrupts its worker
 * thread, so blocking waits and interruptible file writes stop too. The interrupt is confined to the job:
 * it is only sent while the job runs on the thread and cleared before the thread takes its next job.
 */
final class PooledJob<T> implements JobHandle<T>, Runnable {
    private static final Logger log = LoggerFactory.getLogger(PooledJob.class);

    private final long id;
    private final JobSpec spec;
    private final Job<T> job;
    private final RunStore store;
    private final Runnable onDone;
    private final AtomicReference<JobState> state = new AtomicReference<>(JobState.QUEUED);
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final Context context = new Context();

    private volatile double progress;
    private volatile String message = "queued";
    private volatile long runId = -1;
    private volatile boolean cancelRequested;

    private final Object workerLock = new Object();
    private Thread worker; // guarded by workerLock

    private final Object listenerLock = new Object();
    private final List<JobListener> listeners = new ArrayList<>(); // guarded by listenerLock
    private boolean finalStateDelivered; // guarded by listenerLock

    PooledJob(long id, JobSpec spec, Job<T> job, RunStore store, List<JobListener> globalListeners, Runnable onDone) {
        this.id = id;
        this.spec = spec;
        this.job = job;
        this.store = spec.recorded() ? store : null;
        this.onDone = onDone;
        this.listeners.addAll(globalListeners);
    }

    // ------------------------------------------------------------------ JobHandle

    @Override public long id() { return id; }
    @Override public JobSpec spec() { return spec; }
    @Override public JobState state() { return state.get(); }
    @Override public double progress() { return progress; }
    @Override public String message() { return message; }
    @Override public long runId() { return runId; }
    @Override public CompletableFuture<T> result() { return result; }

    @Override
    public void cancel() {
        cancelRequested = true;
        boolean beforeStart;
        synchronized (workerLock) {
            beforeStart = state.compareAndSet(JobState.QUEUED, JobState.CANCELLED);
            if (!beforeStart && worker != null) worker.interrupt();
        }
        if (beforeStart) {
            // never started: nothing was recorded, nothing to clean up
            message = "cancelled before it started";
            deliverFinalState(JobState.CANCELLED);
            result.completeExceptionally(new JobCancelledException());
            onDone.run();
        }
    }

    @Override
    public void addListener(JobListener listener) {
        boolean alreadyDone;
        synchronized (listenerLock) {
            listeners.add(listener);
            alreadyDone = finalStateDelivered;
        }
        // a listener added after the end still learns how it ended, exactly once
        if (alreadyDone) notifyOne(listener, l -> l.onStateChanged(this, state.get()));
    }

    // ------------------------------------------------------------------ running

    @Override
    public void run() {
        synchronized (workerLock) {
            if (!state.compareAndSet(JobState.QUEUED, JobState.RUNNING)) return; // cancelled while queued
            worker = Thread.currentThread();
        }
        T value = null;
        Throwable failure = null;
        try {
            if (store != null) {
                runId = store.startRun(spec.plugin(), spec.kind(), spec.title(), ParameterJson.of(spec.parameters()),
                        spec.modelRef());
            }
            message = "running";
            tell(l -> l.onStateChanged(this, JobState.RUNNING));
            value = job.run(context);
        } catch (Throwable t) {
            failure = t;
        } finally {
            synchronized (workerLock) {
                worker = null;
            }
            Thread.interrupted(); // a cancel's interrupt must not leak into the pool thread's next job
        }
        finish(value, failure);
    }

    private void finish(T value, Throwable failure) {
        JobState end;
        String summary;
        if (failure == null) {
            end = JobState.SUCCEEDED;
            summary = null;
        } else if (failure instanceof JobCancelledException || cancelRequested) {
            end = JobState.CANCELLED;
            summary = isCancellation(failure) ? "cancelled by the user"
                    : "cancelled by the user (it stopped with " + FailureSummary.describe(failure) + ")";
        } else {
            end = JobState.FAILED;
            summary = FailureSummary.describe(failure);
            // the stack goes with the run (an "error" trace event); the console gets one line
            log.warn("job {} '{}' failed: {}", id, spec.title(), summary);
            log.debug("job {} failure", id, failure);
        }
        if (runId >= 0) record(end, summary, failure);
        if (end == JobState.SUCCEEDED) progress = 1.0;
        message = end == JobState.SUCCEEDED ? "done" : summary;
        state.set(end);
        deliverFinalState(end);
        if (end == JobState.SUCCEEDED) result.complete(value);
        else if (end == JobState.CANCELLED && !(failure instanceof JobCancelledException)) {
            JobCancelledException cancelled = new JobCancelledException();
            cancelled.addSuppressed(failure);
            result.completeExceptionally(cancelled);
        } else result.completeExceptionally(failure);
        onDone.run();
    }

    /** Records how the run ended; a store failure here is logged, never allowed to hide the job's outcome. */
    private void record(JobState end, String summary, Throwable failure) {
        try {
            if (end == JobState.FAILED) store.trace(runId, "error", FailureSummary.stackTraceJson(failure));
            RunStatus status = switch (end) {
                case SUCCEEDED -> RunStatus.SUCCEEDED;
                case CANCELLED -> RunStatus.CANCELLED;
                default -> RunStatus.FAILED;
            };
            store.finishRun(runId, status, summary);
        } catch (RuntimeException e) {
            log.error("job {} '{}' ended {} but its run {} could not be recorded as such: {}", id, spec.title(), end,
                    runId, e.toString(), e);
        }
    }

    private static boolean isCancellation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof JobCancelledException || c instanceof InterruptedException
                    || c instanceof InterruptedIOException || c instanceof ClosedByInterruptException) return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ listeners

    private void deliverFinalState(JobState end) {
        List<JobListener> snapshot;
        synchronized (listenerLock) {
            finalStateDelivered = true;
            snapshot = List.copyOf(listeners);
        }
        for (JobListener l : snapshot) notifyOne(l, x -> x.onStateChanged(this, end));
    }

    private void tell(java.util.function.Consumer<JobListener> event) {
        List<JobListener> snapshot;
        synchronized (listenerLock) {
            snapshot = List.copyOf(listeners);
        }
        for (JobListener l : snapshot) notifyOne(l, event);
    }

    private void notifyOne(JobListener listener, java.util.function.Consumer<JobListener> event) {
        try {
            event.accept(listener);
        } catch (RuntimeException e) {
            // a broken progress view must not break the job
            log.warn("job listener {} failed on job {}: {}", listener, id, e.toString(), e);
        }
    }

    void announceQueued() {
        tell(l -> l.onStateChanged(this, JobState.QUEUED));
    }

    @Override
    public String toString() {
        return "job " + id + " '" + spec.title() + "' " + state.get();
    }

    // ------------------------------------------------------------------ what the job sees

    private final class Context implements JobContext {
        @Override
        public void progress(double fraction, String text) {
            double f = Double.isNaN(fraction) ? Double.NaN : Math.max(0.0, Math.min(1.0, fraction));
            progress = f;
            if (text != null) message = text;
            tell(l -> l.onProgress(PooledJob.this, f, message));
        }

        @Override
        public void metric(String name, long step, double value) {
            if (store != null) store.metric(runId, name, step, value);
            tell(l -> l.onMetric(PooledJob.this, name, step, value));
        }

        @Override
        public void log(String line) {
            log.debug("job {}: {}", id, line);
            tell(l -> l.onLog(PooledJob.this, line));
        }

        @Override
        public void trace(String kind, String json) {
            if (store != null) store.trace(runId, kind, json);
        }

        @Override
        public Path artifact(String name, Path file) {
            // an unrecorded job has no run to keep a copy with; the file stays where it is
            return store != null ? store.addArtifact(runId, name, file) : file;
        }

        @Override
        public boolean isCancelled() {
            return cancelRequested;
        }

        @Override
        public long runId() {
            return runId;
        }
    }
}
