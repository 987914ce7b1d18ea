package org.layerwise.sdk.cli;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobListener;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.JobState;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.SqliteRunStore;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The terminal progress bar the CLI draws for jobs, and running a job in the foreground. */
class ProgressBarTest {
    @TempDir Path tmp;

    long now;
    final StringWriter text = new StringWriter();

    static final class FakeJob implements JobHandle<Void> {
        final JobSpec spec = JobSpec.transientJob("flatness", "train", "train tiny-mlp");
        String message = "running";
        @Override public long id() { return 1; }
        @Override public JobSpec spec() { return spec; }
        @Override public JobState state() { return JobState.RUNNING; }
        @Override public double progress() { return 0; }
        @Override public String message() { return message; }
        @Override public long runId() { return 7; }
        @Override public CompletableFuture<Void> result() { return new CompletableFuture<>(); }
        @Override public void cancel() {}
        @Override public void addListener(JobListener listener) {}
    }

    private ProgressBar bar(boolean interactive) {
        return new ProgressBar(new PrintWriter(text), interactive, () -> now, 80);
    }

    @Test
    void redrawsOneLineInPlaceWithPercentMessageAndElapsed() {
        ProgressBar bar = bar(true);
        FakeJob job = new FakeJob();
        bar.onStateChanged(job, JobState.RUNNING);
        now = 12_000_000_000L;
        bar.onProgress(job, 0.5, "epoch 5/10");
        assertThat(text.toString()).isEqualTo("\r[############------------]  50%  epoch 5/10  00:12");

        now += 50_000_000L; // within 100 ms: not redrawn
        bar.onProgress(job, 0.55, "epoch 5/10 batch 3");
        assertThat(text.toString()).doesNotContain("55%");

        now += 100_000_000L;
        bar.onProgress(job, 0.6, "e6");
        assertThat(text.toString()).endsWith("\r[##############----------]  60%  e6  00:12" + " ".repeat(8));

        now = 75_000_000_000L;
        bar.onProgress(job, 1.0, "saving");
        bar.onStateChanged(job, JobState.SUCCEEDED);
        assertThat(text.toString()).contains("\r[########################] 100%  saving  01:15")
                // the end line is padded to cover the longer bar it replaces, then the line is closed
                .endsWith("\rdone: train tiny-mlp after 01:15 (run 7)" + " ".repeat(6) + System.lineSeparator());
    }

    @Test
    void longMessagesAreCutToTheLineAndIndeterminateProgressShowsAQuestionMark() {
        ProgressBar bar = bar(true);
        FakeJob job = new FakeJob();
        bar.onProgress(job, Double.NaN, "x".repeat(200));
        String line = text.toString().substring(1);
        assertThat(line).hasSize(79).contains("   ?  ").contains("...  00:00");
    }

    @Test
    void withoutATerminalItPrintsAPlainLineEveryTenPercent() {
        ProgressBar bar = bar(false);
        FakeJob job = new FakeJob();
        for (int i = 0; i <= 100; i++) bar.onProgress(job, i / 100.0, "step " + i);
        job.message = "IllegalStateException: loss is NaN";
        bar.onStateChanged(job, JobState.FAILED);
        String[] lines = text.toString().split(System.lineSeparator());
        assertThat(lines).hasSize(12).noneMatch(l -> l.contains("\r"));
        assertThat(lines[0]).startsWith("[------------------------]   0%  step 0");
        assertThat(lines[5]).startsWith("[############------------]  50%  step 50");
        assertThat(lines[11]).isEqualTo("FAILED: train tiny-mlp after 00:00: IllegalStateException: loss is NaN (run 7)");
    }

    @Test
    void logLinesScrollAboveTheBar() {
        ProgressBar bar = bar(true);
        FakeJob job = new FakeJob();
        bar.onProgress(job, 0.25, "epoch 1");
        bar.onLog(job, "checkpoint saved");
        String bar25 = "[######------------------]  25%  epoch 1  00:00";
        assertThat(text.toString()).isEqualTo("\r" + bar25 + "\rcheckpoint saved" + " ".repeat(bar25.length() - 16)
                + System.lineSeparator() + "\r" + bar25);

        StringWriter plain = new StringWriter();
        ProgressBar log = new ProgressBar(new PrintWriter(plain), false, () -> 0L, 80);
        log.onLog(job, "checkpoint saved");
        assertThat(plain.toString()).isEqualTo("checkpoint saved" + System.lineSeparator());
    }

    @Test
    void elapsedTimeFormats() {
        assertThat(ProgressBar.elapsed(59_999_000_000L)).isEqualTo("00:59");
        assertThat(ProgressBar.elapsed(3_725_000_000_000L)).isEqualTo("1:02:05");
    }

    @Test
    void runInForegroundReturnsTheValueAndRecordsTheRun() throws Exception {
        try (SqliteRunStore store = SqliteRunStore.open(tmp); WorkerPool pool = new WorkerPool(store, 1)) {
            StringWriter err = new StringWriter();
            JobSpec spec = JobSpec.recorded("playground", "generate", "say hi", Map.of("n", 2), "gpt2");
            String value = CliSupport.runInForeground(pool, spec, ctx -> {
                ctx.progress(0.5, "half");
                ctx.metric("tokens", 0, 2);
                return "hi";
            }, new PrintWriter(err));
            assertThat(value).isEqualTo("hi");
            assertThat(err.toString()).contains("done: say hi after");
            long id = store.list(org.layerwise.engine.runs.RunQuery.all()).get(0).id();
            assertThat(store.get(id).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);

            StringWriter err2 = new StringWriter();
            assertThatThrownBy(() -> CliSupport.runInForeground(pool, spec, ctx -> {
                throw new IllegalStateException("model folder /m has no config.json");
            }, new PrintWriter(err2))).isInstanceOf(IllegalStateException.class).hasMessageContaining("config.json");
            assertThat(err2.toString()).contains("FAILED: say hi").contains("no config.json");

            assertThatThrownBy(() -> CliSupport.runInForeground(pool, spec, ctx -> {
                throw new JobCancelledException();
            }, new PrintWriter(new StringWriter()))).isInstanceOf(JobCancelledException.class);
        }
    }
}
