package org.layerwise.builder.ui;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.layerwise.builder.method.EngineMapping;
import org.layerwise.builder.method.ModelConfig;
import org.layerwise.builder.method.ParameterCounts;
import org.layerwise.builder.method.Pretraining;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobListener;
import org.layerwise.engine.jobs.JobRunner;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.JobState;
import org.layerwise.engine.model.LoadOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The builder workspace's state, without JavaFX nodes (testable headless): the config, edited either setting by
 * setting or as JSON (both views stay in step), its problems, parameter counts and trainability, and a
 * pretraining job with its loss series.
 */
public final class BuilderViewModel {
    private final ObjectProperty<ModelConfig> config = new SimpleObjectProperty<>(ModelConfig.defaults());
    private final StringProperty json = new SimpleStringProperty();
    private final ReadOnlyStringWrapper jsonError = new ReadOnlyStringWrapper("");
    private final ObservableList<String> problems = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<ParameterCounts> counts = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper trainability = new ReadOnlyStringWrapper("");
    private final ObservableList<double[]> losses = FXCollections.observableArrayList();
    private final ObservableList<double[]> evalLosses = FXCollections.observableArrayList();
    private final ObservableList<TargetLoss> targetLosses = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<JobHandle<Pretraining.Result>> job = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Path> trainedModel = new ReadOnlyObjectWrapper<>();
    private final Consumer<Runnable> uiThread;
    private boolean syncing;

    /** @param uiThread runs a state change on the UI thread (Platform::runLater in the app, Runnable::run in tests) */
    public BuilderViewModel(Consumer<Runnable> uiThread) {
        this.uiThread = uiThread;
        config.addListener((o, a, c) -> configChanged(c));
        json.addListener((o, a, text) -> jsonEdited(text));
        configChanged(config.get());
    }

    public ObjectProperty<ModelConfig> configProperty() { return config; }

    public ModelConfig config() { return config.get(); }

    /** The config as JSON; editing it replaces the config as soon as it parses. */
    public StringProperty jsonProperty() { return json; }

    /** Why the JSON text does not parse, or empty. */
    public ReadOnlyStringProperty jsonErrorProperty() { return jsonError.getReadOnlyProperty(); }

    public ObservableList<String> problems() { return problems; }

    /** Parameter counts per component; null while the config has problems. */
    public ReadOnlyObjectProperty<ParameterCounts> countsProperty() { return counts.getReadOnlyProperty(); }

    /** "trainable" or what this version cannot train. */
    public ReadOnlyStringProperty trainabilityProperty() { return trainability.getReadOnlyProperty(); }

    /** (step, loss) points of the running or last job. */
    public ObservableList<double[]> losses() { return losses; }

    public ObservableList<double[]> evalLosses() { return evalLosses; }

    /** One target's training loss at a step, for a model trained with several targets (metric {@code loss_<target>}). */
    public record TargetLoss(String target, long step, double loss) {}

    /** Per-target training losses of the running or last job (empty for a single target). */
    public ObservableList<TargetLoss> targetLosses() { return targetLosses; }

    public ReadOnlyObjectProperty<JobHandle<Pretraining.Result>> jobProperty() { return job.getReadOnlyProperty(); }

    /** The folder of the last successfully trained model, or null. */
    public ReadOnlyObjectProperty<Path> trainedModelProperty() { return trainedModel.getReadOnlyProperty(); }

    public void applyPreset(String name) { config.set(ModelConfig.preset(name)); }

    /** Sets one setting from text, as {@code --set key=value} would. */
    public void set(String key, String value) { config.set(config.get().with(key, value)); }

    public boolean canTrain() {
        return problems.isEmpty() && EngineMapping.trainingProblems(config.get()).isEmpty()
                && (job.get() == null || job.get().state().isDone());
    }

    /** Starts pretraining as a recorded job; the loss series fill as it runs. */
    public JobHandle<Pretraining.Result> startPretraining(JobRunner runner, Path corpus, Path tokenizer, Path out) {
        if (!canTrain()) throw new IllegalStateException(problems.isEmpty() ? trainability.get() : problems.get(0));
        Pretraining.Request request = new Pretraining.Request(config.get(), corpus, tokenizer, out, false, LoadOptions.DeviceChoice.AUTO);
        losses.clear();
        evalLosses.clear();
        targetLosses.clear();
        trainedModel.set(null);
        JobHandle<Pretraining.Result> handle = runner.submit(JobSpec.recorded("builder", "pretrain",
                "Pretrain " + out.getFileName(), Pretraining.runParameters(request), out.toString()), Pretraining.job(request));
        job.set(handle);
        handle.addListener(new JobListener() {
            @Override
            public void onMetric(JobHandle<?> j, String name, long step, double value) {
                if (name.equals("loss")) uiThread.accept(() -> losses.add(new double[] {step, value}));
                else if (name.equals("eval_loss")) uiThread.accept(() -> evalLosses.add(new double[] {step, value}));
                else if (name.startsWith("loss_"))
                    uiThread.accept(() -> targetLosses.add(new TargetLoss(name.substring("loss_".length()), step, value)));
            }

            @Override
            public void onStateChanged(JobHandle<?> j, JobState state) {
                if (state == JobState.SUCCEEDED) uiThread.accept(() -> trainedModel.set(out));
            }
        });
        return handle;
    }

    private void configChanged(ModelConfig c) {
        List<String> p = c.problems();
        problems.setAll(p);
        counts.set(p.isEmpty() ? ParameterCounts.of(c, 0) : null);
        List<String> blocked = p.isEmpty() ? EngineMapping.trainingProblems(c) : List.of();
        trainability.set(!p.isEmpty() ? "" : blocked.isEmpty() ? "trainable"
                : "not trainable as configured: " + String.join("; ", blocked));
        if (!syncing) {
            syncing = true;
            try {
                json.set(c.toJson());
                jsonError.set("");
            } finally {
                syncing = false;
            }
        }
    }

    private void jsonEdited(String text) {
        if (syncing) return;
        try {
            ModelConfig parsed = ModelConfig.fromJson(text);
            jsonError.set("");
            syncing = true;
            try {
                config.set(parsed);
            } finally {
                syncing = false;
            }
        } catch (IllegalArgumentException e) {
            jsonError.set(e.getMessage());
        }
    }
}
