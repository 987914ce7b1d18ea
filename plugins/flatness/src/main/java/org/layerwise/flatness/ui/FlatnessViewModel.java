package org.layerwise.flatness.ui;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.layerwise.engine.jobs.Job;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobListener;
import org.layerwise.engine.jobs.JobRunner;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.JobState;
import org.layerwise.flatness.method.AccuracyMatrix;
import org.layerwise.flatness.method.ContinualConfig;
import org.layerwise.flatness.method.ContinualLearner;
import org.layerwise.flatness.method.MethodComparison;
import org.layerwise.flatness.method.TaskSequence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * State of the flatness workspace: the loaded sequence, the chosen method and its sheet, the live accuracy
 * matrix of a single-method run, the comparison rows, and the finished learner the views are computed on.
 * Job events arrive on worker threads and are handed to {@code uiThread}.
 */
public final class FlatnessViewModel {
    /** Runs everything in the comparison (the methods of the table). */
    public static final String COMPARE = "compare all";

    private final Consumer<Runnable> uiThread;
    private final ObjectProperty<TaskSequence> sequence = new SimpleObjectProperty<>();
    private final ObjectProperty<AccuracyMatrix> matrix = new SimpleObjectProperty<>();
    private final ObjectProperty<ContinualLearner> finished = new SimpleObjectProperty<>();
    private final ObservableList<MethodComparison.Row> rows = FXCollections.observableArrayList();
    private ContinualParameters parameters;
    private String method = "cf";

    public FlatnessViewModel(Consumer<Runnable> uiThread) { this.uiThread = uiThread; }

    public ObjectProperty<TaskSequence> sequenceProperty() { return sequence; }

    public ObjectProperty<AccuracyMatrix> matrixProperty() { return matrix; }

    /** The learner of the last completed single-method run (kept for the views; closed when replaced). */
    public ObjectProperty<ContinualLearner> finishedProperty() { return finished; }

    public ObservableList<MethodComparison.Row> rows() { return rows; }

    public void loadSequence(Path file) throws IOException {
        sequence.set(TaskSequence.load(file));
        parameters = null;
    }

    public String method() { return method; }

    /** Chooses a method (or {@link #COMPARE}) and rebuilds the sheet from its preset over the sequence's settings. */
    public ContinualParameters chooseMethod(String m) {
        method = m;
        TaskSequence s = requireSequence();
        parameters = new ContinualParameters(MethodComparison.configFor(s, m.equals(COMPARE) ? "cf" : m, List.of()));
        return parameters;
    }

    public ContinualParameters parameters() { return parameters; }

    private TaskSequence requireSequence() {
        if (sequence.get() == null) throw new IllegalStateException("Load a task sequence first");
        return sequence.get();
    }

    /** Starts the chosen method (one seed) or the comparison ({@code seeds} seeds of every method) as a recorded job. */
    public JobHandle<?> start(JobRunner runner, int seeds) {
        TaskSequence s = requireSequence();
        if (parameters == null) chooseMethod(method);
        List<String> overrides = parameters.overrides();
        matrix.set(null);
        rows.clear();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("sequence", s.name());
        params.put("method", method);
        params.put("seeds", seeds);
        if (method.equals(COMPARE)) {
            // the sheet edits the C&F preset; the other methods keep their presets and the sequence's training block
            List<String> training = new ArrayList<>();
            for (String o : overrides)
                if (o.startsWith("lr=") || o.startsWith("epochs=") || o.startsWith("batch_size=") || o.startsWith("hidden=")) training.add(o);
            params.put("overrides", String.join(" ", training));
            MethodComparison.Request request = new MethodComparison.Request(s, ContinualConfig.METHODS, seeds, 0, training);
            return runner.submit(JobSpec.recorded("flatness", "continual", "Compare methods on " + s.name(), params, null),
                    MethodComparison.job(request, row -> uiThread.accept(() -> rows.add(row))));
        }
        ContinualConfig config = MethodComparison.configFor(s, method, overrides);
        params.put("config", config.json());
        Job<ContinualLearner> job = ctx -> {
            ContinualLearner learner = new ContinualLearner(s, config, 0);
            try {
                learner.run(ctx, p -> uiThread.accept(() -> matrix.set(p.matrix())));
                return learner;
            } catch (RuntimeException e) {
                learner.close();
                throw e;
            }
        };
        JobHandle<ContinualLearner> handle = runner.submit(JobSpec.recorded("flatness", "continual", method + " on " + s.name(), params, null), job);
        handle.addListener(new JobListener() {
            @Override
            public void onStateChanged(JobHandle<?> j, JobState state) {
                if (state == JobState.SUCCEEDED) handle.result().thenAccept(l -> uiThread.accept(() -> {
                    ContinualLearner old = finished.get();
                    finished.set(l);
                    if (old != null) old.close();
                }));
            }
        });
        return handle;
    }
}
