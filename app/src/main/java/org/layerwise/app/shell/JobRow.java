package org.layerwise.app.shell;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobState;

import java.time.Duration;
import java.time.Instant;

/**
 * One job in the job area (FX-thread properties). Updates from the worker thread land in volatile
 * fields first and are copied into the properties by {@link #publish()} on the FX thread, so only the
 * latest progress is ever shown and a fast job cannot flood the FX thread.
 */
public final class JobRow {
    private final JobHandle<?> handle;
    private final Instant submitted = Instant.now();
    private final StringProperty title = new SimpleStringProperty();
    private final DoubleProperty progress = new SimpleDoubleProperty(-1);
    private final StringProperty message = new SimpleStringProperty("");
    private final ObjectProperty<JobState> state = new SimpleObjectProperty<>(JobState.QUEUED);
    private final ObjectProperty<Duration> elapsed = new SimpleObjectProperty<>(Duration.ZERO);

    private volatile double latestProgress = -1;
    private volatile String latestMessage = "";
    private volatile JobState latestState = JobState.QUEUED;
    private volatile Instant endedAt;

    JobRow(JobHandle<?> handle) {
        this.handle = handle;
        this.title.set(handle.spec().title());
        this.latestState = handle.state();
    }

    public JobHandle<?> handle() { return handle; }
    public long id() { return handle.id(); }
    public StringProperty titleProperty() { return title; }
    /** In [0,1], or negative for indeterminate (as a ProgressBar wants). */
    public DoubleProperty progressProperty() { return progress; }
    public StringProperty messageProperty() { return message; }
    public ObjectProperty<JobState> stateProperty() { return state; }
    public ObjectProperty<Duration> elapsedProperty() { return elapsed; }
    public JobState state() { return state.get(); }

    public void cancel() {
        handle.cancel();
    }

    void progressFromWorker(double fraction, String text) {
        latestProgress = Double.isNaN(fraction) ? -1 : Math.max(0, Math.min(1, fraction));
        if (text != null) latestMessage = text;
    }

    void stateFromWorker(JobState s) {
        latestState = s;
        if (s.isDone() && endedAt == null) endedAt = Instant.now();
    }

    /** Copies the latest worker values into the properties; FX thread. */
    void publish() {
        JobState s = latestState;
        state.set(s);
        if (s == JobState.SUCCEEDED) progress.set(1);
        else if (s.isDone()) progress.set(Math.max(0, latestProgress));
        else progress.set(s == JobState.QUEUED ? -1 : latestProgress);
        message.set(s.isDone() && latestMessage.isBlank() ? describe(s) : latestMessage);
        Instant end = endedAt != null ? endedAt : Instant.now();
        elapsed.set(Duration.between(submitted, end));
    }

    private String describe(JobState s) {
        return switch (s) {
            case SUCCEEDED -> "done";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
            default -> "";
        };
    }

    /** Message for a failed or cancelled job: the reason, so the job area says what went wrong. */
    void failedBecause(String reason) {
        latestMessage = reason;
    }
}
