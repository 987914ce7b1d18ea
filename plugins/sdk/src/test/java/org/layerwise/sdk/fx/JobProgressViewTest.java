package org.layerwise.sdk.fx;

import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobListener;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.JobState;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApplicationExtension.class)
class JobProgressViewTest {
    /** A job driven by the test from a plain thread, as a worker would drive it. */
    static final class ScriptedJob implements JobHandle<String> {
        final List<JobListener> listeners = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> result = new CompletableFuture<>();
        volatile JobState state = JobState.RUNNING;
        volatile double progress;
        volatile String message = "";
        volatile boolean cancelRequested;

        void report(double fraction, String text) {
            progress = fraction;
            message = text;
            listeners.forEach(l -> l.onProgress(this, fraction, text));
        }

        void end(JobState end, Throwable error) {
            state = end;
            listeners.forEach(l -> l.onStateChanged(this, end));
            if (error == null) {
                result.complete("ok");
            } else {
                result.completeExceptionally(error);
            }
        }

        @Override public long id() { return 1; }
        @Override public JobSpec spec() { return JobSpec.transientJob("test", "train", "Train probe"); }
        @Override public JobState state() { return state; }
        @Override public double progress() { return progress; }
        @Override public String message() { return message; }
        @Override public long runId() { return -1; }
        @Override public CompletableFuture<String> result() { return result; }
        @Override public void cancel() { cancelRequested = true; }
        @Override public void addListener(JobListener listener) { listeners.add(listener); }
    }

    private final ScriptedJob job = new ScriptedJob();
    private JobProgressView view;

    @Start
    void start(Stage stage) {
        view = new JobProgressView(job);
        stage.setScene(new Scene(view, 600, 60));
        stage.show();
    }

    @Test
    void followsProgressFromAWorkerThread() throws Exception {
        Thread worker = new Thread(() -> {
            for (int i = 1; i <= 1000; i++) {
                job.report(i / 1000.0, "step " + i);
            }
        });
        worker.start();
        worker.join();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.progressBar().getProgress()).isEqualTo(1.0);
        assertThat(view.messageLabel().getText()).isEqualTo("step 1000");
        assertThat(view.job()).isSameAs(job);
    }

    @Test
    void nanProgressIsIndeterminate() {
        job.report(Double.NaN, "loading weights");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.progressBar().isIndeterminate()).isTrue();
    }

    @Test
    void cancelButtonCancelsTheJob(FxRobot robot) throws Exception {
        CompletableFuture<JobProgressView> done = new CompletableFuture<>();
        view.setOnDone(done::complete);
        robot.clickOn(view.cancelButton());
        assertThat(job.cancelRequested).isTrue();
        assertThat(view.cancelButton().isDisable()).isTrue();

        job.end(JobState.CANCELLED, new JobCancelledException());
        assertThat(done.get(10, TimeUnit.SECONDS)).isSameAs(view);
        assertThat(view.messageLabel().getText()).isEqualTo("Cancelled");
    }

    @Test
    void failureShowsTheReason() throws Exception {
        CompletableFuture<JobProgressView> done = new CompletableFuture<>();
        view.setOnDone(done::complete);
        job.end(JobState.FAILED, new IllegalStateException("out of memory on layer 7"));
        done.get(10, TimeUnit.SECONDS);
        assertThat(view.messageLabel().getText()).isEqualTo("Failed: out of memory on layer 7");
        assertThat(view.cancelButton().isDisable()).isTrue();
    }
}
