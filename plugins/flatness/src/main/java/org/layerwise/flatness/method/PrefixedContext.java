package org.layerwise.flatness.method;

import org.layerwise.engine.jobs.JobContext;

import java.nio.file.Path;

/** A job context whose metric and trace names carry a prefix (e.g. "cf/seed1/"), so one run can hold many trainings. */
final class PrefixedContext implements JobContext {
    private final JobContext inner;
    private final String prefix;
    private final double from, span;

    /** Progress is mapped into [from, from + span] of the outer job. */
    PrefixedContext(JobContext inner, String prefix, double from, double span) {
        this.inner = inner;
        this.prefix = prefix;
        this.from = from;
        this.span = span;
    }

    @Override public void progress(double fraction, String message) {
        inner.progress(Double.isNaN(fraction) ? from : from + span * fraction, prefix + message);
    }

    @Override public void metric(String name, long step, double value) { inner.metric(prefix + name, step, value); }

    @Override public void log(String line) { inner.log(prefix + line); }

    @Override public void trace(String kind, String json) { inner.trace(prefix + kind, json); }

    @Override public Path artifact(String name, Path file) { return inner.artifact(name, file); }

    @Override public boolean isCancelled() { return inner.isCancelled(); }

    @Override public long runId() { return inner.runId(); }
}
