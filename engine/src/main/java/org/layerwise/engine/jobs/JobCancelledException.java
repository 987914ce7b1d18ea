package org.layerwise.engine.jobs;

/** Thrown inside a job when the user cancelled it; the runner records the run as cancelled. */
public final class JobCancelledException extends RuntimeException {
    public JobCancelledException() {
        super("cancelled by the user", null, false, false);
    }
}
