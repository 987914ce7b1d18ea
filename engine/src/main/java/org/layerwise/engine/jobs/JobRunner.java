package org.layerwise.engine.jobs;

import java.util.List;

/** Runs jobs off the caller's thread (a worker pool) and records each as a run. */
public interface JobRunner extends AutoCloseable {
    <T> JobHandle<T> submit(JobSpec spec, Job<T> job);

    /** Jobs not yet done. */
    List<JobHandle<?>> active();

    /** Sees every job submitted from now on (the GUI's job area, the CLI's progress bar). */
    void addGlobalListener(JobListener listener);

    @Override
    void close();
}
