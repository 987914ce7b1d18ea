package org.layerwise.playground.method;

import org.layerwise.engine.jobs.JobContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A job context that keeps what the job reported, and can be told to cancel after n progress calls. */
final class RecordingContext implements JobContext {
    final List<String> progress = new ArrayList<>();
    final List<String> metrics = new ArrayList<>();
    final List<String> traces = new ArrayList<>();
    final List<String> logs = new ArrayList<>();
    int cancelAfterProgress = Integer.MAX_VALUE;

    @Override public void progress(double fraction, String message) { progress.add(message); }
    @Override public void metric(String name, long step, double value) { metrics.add(name + "@" + step); }
    @Override public void log(String line) { logs.add(line); }
    @Override public void trace(String kind, String json) { traces.add(kind + " " + json); }
    @Override public Path artifact(String name, Path file) { return file; }
    @Override public boolean isCancelled() { return progress.size() >= cancelAfterProgress; }
    @Override public long runId() { return 7; }
}
