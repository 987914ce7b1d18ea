package org.layerwise.engine.jobs;

import java.nio.file.Path;

/**
 * What a running job sees: where to report progress, metrics, log lines, trace events and artifacts.
 * When the job is recorded, metrics, traces and artifacts go to its run in the run store as they arrive,
 * so a killed process loses nothing that was reported.
 */
public interface JobContext {
    /** fraction in [0,1] (or NaN for indeterminate) and a short human message. */
    void progress(double fraction, String message);

    void metric(String name, long step, double value);

    void log(String line);

    /** One step of a step-by-step trace (e.g. a prompt-optimisation step), as a JSON object string. */
    void trace(String kind, String json);

    /** Keeps a copy of {@code file} with the run (under the data directory) and returns where it lives. */
    Path artifact(String name, Path file);

    boolean isCancelled();

    /** Throws {@link JobCancelledException} when the user cancelled; call it between units of work. */
    default void checkCancelled() {
        if (isCancelled()) throw new JobCancelledException();
    }

    /** The run this job writes to, or -1 when it is not recorded. */
    long runId();
}
