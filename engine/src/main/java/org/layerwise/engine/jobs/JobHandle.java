package org.layerwise.engine.jobs;

import java.util.concurrent.CompletableFuture;

/** A submitted job: its state, progress, result, and the way to cancel it. */
public interface JobHandle<T> {
    long id();
    JobSpec spec();
    JobState state();
    double progress();
    String message();
    /** The run id in the store, or -1 when not recorded. */
    long runId();
    /** Completes with the job's value, or exceptionally with its failure ({@link JobCancelledException} on cancel). */
    CompletableFuture<T> result();
    void cancel();
    void addListener(JobListener listener);
}
