package org.layerwise.engine.jobs;

/** Observes a job; called on the job's worker thread (UIs hop to their own thread). */
public interface JobListener {
    default void onProgress(JobHandle<?> job, double fraction, String message) {}
    default void onMetric(JobHandle<?> job, String name, long step, double value) {}
    default void onLog(JobHandle<?> job, String line) {}
    default void onStateChanged(JobHandle<?> job, JobState state) {}
}
