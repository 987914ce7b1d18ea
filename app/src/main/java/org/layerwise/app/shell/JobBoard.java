package org.layerwise.app.shell;

import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobListener;
import org.layerwise.engine.jobs.JobRunner;
import org.layerwise.engine.jobs.JobState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The view model of the job area: every job the runner starts becomes a {@link JobRow}; finished jobs
 * stay listed (greyed, with their outcome) until cleared, the oldest dropped beyond {@link #KEEP_DONE}.
 * Job log lines go to the log console. Worker-thread events are coalesced into one FX update per pulse.
 */
public final class JobBoard implements JobListener {
    static final int KEEP_DONE = 200;

    private final ObservableList<JobRow> rows = FXCollections.observableArrayList();
    private final Map<Long, JobRow> byId = new ConcurrentHashMap<>();
    private final List<JobRow> dirty = new ArrayList<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final Executor fxThread;
    private final LogBuffer log;
    private final List<Consumer<JobRow>> onFinished = new ArrayList<>();
    private final ReadOnlyIntegerWrapper running = new ReadOnlyIntegerWrapper(this, "running");

    public JobBoard(JobRunner runner, LogBuffer log, Executor fxThread) {
        this.fxThread = fxThread;
        this.log = log;
        runner.addGlobalListener(this);
        for (JobHandle<?> h : runner.active()) row(h);
    }

    public ObservableList<JobRow> rows() {
        return rows;
    }

    /** Called on the FX thread once per job that reaches a final state (runs browser refreshes on it). */
    public void onFinished(Consumer<JobRow> listener) {
        onFinished.add(listener);
    }

    public long runningCount() {
        return rows.stream().filter(r -> !r.state().isDone()).count();
    }

    /** How many listed jobs have not finished; FX thread. */
    public ReadOnlyIntegerProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** Refreshes the elapsed time of running jobs; FX thread (the job area calls it every second). */
    public void tick() {
        for (JobRow r : rows) if (!r.state().isDone()) r.publish();
    }

    /** Removes finished jobs from the list. */
    public void clearFinished() {
        rows.removeIf(r -> r.state().isDone());
        byId.values().removeIf(r -> r.state().isDone());
        running.set((int) runningCount());
    }

    @Override
    public void onProgress(JobHandle<?> job, double fraction, String message) {
        JobRow r = row(job);
        r.progressFromWorker(fraction, message);
        markDirty(r);
    }

    @Override
    public void onLog(JobHandle<?> job, String line) {
        log.append(LogLine.Level.INFO, job.spec().title(), line);
    }

    @Override
    public void onStateChanged(JobHandle<?> job, JobState state) {
        JobRow r = row(job);
        r.stateFromWorker(state);
        if (state.isDone()) {
            // the runner's message says how it ended ("cancelled by the user", the failure's summary)
            String m = job.message();
            if (m != null && !m.isBlank() && state != JobState.SUCCEEDED) r.failedBecause(m);
            log.append(state == JobState.FAILED ? LogLine.Level.ERROR : LogLine.Level.INFO, job.spec().title(),
                    state == JobState.FAILED ? "failed: " + m : state.name().toLowerCase());
        }
        markDirty(r);
    }

    private JobRow row(JobHandle<?> job) {
        return byId.computeIfAbsent(job.id(), id -> {
            JobRow r = new JobRow(job);
            fxThread.execute(() -> {
                rows.add(0, r);
                running.set((int) runningCount());
            });
            return r;
        });
    }

    private void markDirty(JobRow r) {
        synchronized (dirty) {
            if (!dirty.contains(r)) dirty.add(r);
        }
        if (flushScheduled.compareAndSet(false, true)) fxThread.execute(this::flush);
    }

    private void flush() {
        flushScheduled.set(false);
        List<JobRow> batch;
        synchronized (dirty) {
            batch = new ArrayList<>(dirty);
            dirty.clear();
        }
        for (JobRow r : batch) {
            boolean wasDone = r.state().isDone();
            r.publish();
            if (!wasDone && r.state().isDone()) onFinished.forEach(l -> l.accept(r));
        }
        trimDone();
        running.set((int) runningCount());
    }

    private void trimDone() {
        long done = rows.stream().filter(r -> r.state().isDone()).count();
        for (int i = rows.size() - 1; i >= 0 && done > KEEP_DONE; i--) {
            if (rows.get(i).state().isDone()) {
                byId.remove(rows.get(i).id());
                rows.remove(i);
                done--;
            }
        }
    }
}
