package org.layerwise.sdk.fx;

import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobListener;
import org.layerwise.engine.jobs.JobState;

import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One job as a row: title, progress bar, message and a cancel button. Job events arrive on the worker thread;
 * they are coalesced so a job reporting thousands of steps a second costs the FX thread one update per pulse.
 */
public final class JobProgressView extends HBox {
    private final JobHandle<?> job;
    private final Label title = new Label();
    private final ProgressBar bar = new ProgressBar(0);
    private final Label message = new Label();
    private final Button cancel = new Button("Cancel");
    private final AtomicBoolean updateQueued = new AtomicBoolean();
    private volatile double latestFraction;
    private volatile String latestMessage;
    private Consumer<JobProgressView> onDone = v -> { };

    public JobProgressView(JobHandle<?> job) {
        super(8);
        this.job = Objects.requireNonNull(job, "job");
        getStyleClass().add("job-progress");
        setAlignment(Pos.CENTER_LEFT);
        title.setText(job.spec().title());
        title.setStyle("-fx-font-weight: bold;");
        bar.setPrefWidth(160);
        message.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(message, Priority.ALWAYS);
        cancel.setOnAction(e -> {
            cancel.setDisable(true);
            message.setText("Cancelling…");
            job.cancel();
        });
        getChildren().addAll(title, bar, message, cancel);

        latestFraction = job.progress();
        latestMessage = job.message();
        applyProgress();
        job.addListener(new JobListener() {
            @Override
            public void onProgress(JobHandle<?> j, double fraction, String text) {
                latestFraction = fraction;
                latestMessage = text;
                if (updateQueued.compareAndSet(false, true)) {
                    Platform.runLater(() -> {
                        updateQueued.set(false);
                        if (!job.state().isDone()) {
                            applyProgress();
                        }
                    });
                }
            }
        });
        // the result future completes after the final state is set, with the failure if there was one
        job.result().whenComplete((value, error) -> Platform.runLater(() -> showOutcome(error)));
    }

    public JobHandle<?> job() { return job; }
    public ProgressBar progressBar() { return bar; }
    public Label messageLabel() { return message; }
    public Button cancelButton() { return cancel; }

    /** Called on the FX thread once the job has finished, failed or been cancelled (e.g. to fade the row out). */
    public void setOnDone(Consumer<JobProgressView> handler) {
        this.onDone = handler == null ? v -> { } : handler;
    }

    private void applyProgress() {
        double f = latestFraction;
        bar.setProgress(Double.isNaN(f) ? ProgressBar.INDETERMINATE_PROGRESS : Math.max(0, Math.min(1, f)));
        String text = latestMessage;
        message.setText(text == null ? "" : text);
    }

    private void showOutcome(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        cancel.setDisable(true);
        JobState state = job.state();
        if (cause == null && state != JobState.CANCELLED) {
            bar.setProgress(1);
            message.setText(latestMessage == null || latestMessage.isBlank() ? "Done" : "Done: " + latestMessage);
        } else if (cause instanceof JobCancelledException || state == JobState.CANCELLED) {
            message.setText("Cancelled");
            if (bar.getProgress() < 0) {
                bar.setProgress(0);
            }
        } else {
            message.setText("Failed: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
            if (bar.getProgress() < 0) {
                bar.setProgress(0);
            }
            getStyleClass().add("job-failed");
        }
        onDone.accept(this);
    }
}
