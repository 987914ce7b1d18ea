package org.layerwise.engine.runs;

import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.WorkerPool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The child process of {@link KilledProcessTest}: records some completed runs through the job runner, then
 * starts a job that writes metrics forever and says so on stdout, waiting to be killed with SIGKILL.
 * Usage: {@code RunWriterProcess <dataDir> <completedRuns> <metricsPerRun>}.
 */
public final class RunWriterProcess {
    public static final String COMPLETED = "COMPLETED";
    public static final String IN_LONG_JOB = "IN_LONG_JOB";

    private RunWriterProcess() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int completed = Integer.parseInt(args[1]);
        int metricsPerRun = Integer.parseInt(args[2]);
        SqliteRunStore store = SqliteRunStore.open(dataDir);
        WorkerPool pool = new WorkerPool(store, 1);

        List<Long> ids = new ArrayList<>();
        for (int r = 0; r < completed; r++) {
            int run = r;
            Path artifact = Files.writeString(dataDir.resolve("source-" + r + ".txt"), "artifact of run " + r);
            JobHandle<Void> h = pool.submit(JobSpec.recorded("test", "completed", "completed " + r,
                    Map.of("run", r), "model-" + r), ctx -> {
                for (int s = 0; s < metricsPerRun; s++) ctx.metric("loss", s, run + s / 1000.0);
                ctx.trace("done", "{\"run\":" + run + "}");
                ctx.artifact("notes.txt", artifact);
                return null;
            });
            h.result().get();
            ids.add(h.runId());
        }
        System.out.println(COMPLETED + " " + ids.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse(""));
        System.out.flush();

        pool.submit(JobSpec.recorded("test", "forever", "killed mid-run", Map.of(), null), ctx -> {
            for (long step = 0; ; step++) {
                ctx.metric("loss", step, 1.0 / (step + 1));
                if (step == 100) {
                    System.out.println(IN_LONG_JOB + " " + ctx.runId() + " " + step);
                    System.out.flush();
                }
                Thread.sleep(1);
            }
        });
        Thread.sleep(Long.MAX_VALUE);
    }
}
