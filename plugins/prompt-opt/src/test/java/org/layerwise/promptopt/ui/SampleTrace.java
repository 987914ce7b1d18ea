package org.layerwise.promptopt.ui;

import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.RunStore;
import org.layerwise.promptopt.method.Grace;
import org.layerwise.promptopt.method.GraceSettings;
import org.layerwise.promptopt.method.RunControl;
import org.layerwise.promptopt.method.ScriptedModels;

import java.nio.file.Path;

/** Records a scripted GRACE run (accepts, ties, a compression) in a run store, for workspace tests. */
final class SampleTrace {
    private SampleTrace() {}

    static long record(RunStore store) throws Exception {
        long id = store.startRun("prompt-opt", "grace", "GRACE on scripted", "{}", null);
        JobContext ctx = new JobContext() {
            @Override public void progress(double fraction, String message) {}
            @Override public void metric(String name, long step, double value) { store.metric(id, name, step, value); }
            @Override public void log(String line) {}
            @Override public void trace(String kind, String json) { store.trace(id, kind, json); }
            @Override public Path artifact(String name, Path file) { return file; }
            @Override public boolean isCancelled() { return false; }
            @Override public long runId() { return id; }
        };
        new Grace(new ScriptedModels.Base(), new ScriptedModels.Optimizer("<START>level 6</START>",
                "<START>level 6, restated</START>", "<START>level 5</START>", "<START>level 6 again</START>",
                "<START>level 3</START>", "<START>level 4 and think step by step</START>"),
                ScriptedModels.task(16, 10, 10, "level 4"),
                GraceSettings.paper().withIterations(5).withRejectionLimit(3).withParallel(1), ctx, RunControl.none()).run();
        store.finishRun(id, RunStatus.SUCCEEDED, null);
        return id;
    }
}
