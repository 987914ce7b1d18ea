package org.layerwise.app.shell;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobRunner;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.model.LanguageModel;
import org.layerwise.sdk.LoadedModels;
import org.layerwise.sdk.fx.ErrorReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The models of the model bar. Loading runs as a job (progress and cancel in the job area); the loaded
 * model joins the list on the FX thread and becomes the selected one. A folder already loaded (or
 * loading) is not loaded twice.
 */
public final class ModelShelf implements LoadedModels {
    private static final Logger LOG = LoggerFactory.getLogger(ModelShelf.class);

    private final ObservableList<LanguageModel> all = FXCollections.observableArrayList();
    private final ObjectProperty<LanguageModel> selected = new SimpleObjectProperty<>(this, "selected");
    private final ReadOnlyStringWrapper loading = new ReadOnlyStringWrapper(this, "loading", null);
    private final Map<Path, JobHandle<LanguageModel>> inFlight = new HashMap<>();
    private final JobRunner jobs;
    private final ModelLoader loader;
    private final ErrorReporter errors;
    private final RecentFolders recent;
    private final Executor fxThread;

    /** @param fxThread delivers load results on the FX thread ({@code Platform::runLater}; tests: direct) */
    public ModelShelf(JobRunner jobs, ModelLoader loader, ErrorReporter errors, RecentFolders recent,
                      Executor fxThread) {
        this.jobs = jobs;
        this.loader = loader;
        this.errors = errors;
        this.recent = recent;
        this.fxThread = fxThread;
    }

    @Override
    public ObservableList<LanguageModel> all() {
        return all;
    }

    @Override
    public ObjectProperty<LanguageModel> selected() {
        return selected;
    }

    /** The folder name being loaded, or null: the model bar shows it. */
    public ReadOnlyStringProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    @Override
    public void load(Path folder) {
        Path dir = folder.toAbsolutePath().normalize();
        for (LanguageModel m : all) {
            if (m.directory() != null && m.directory().toAbsolutePath().normalize().equals(dir)) {
                selected.set(m);
                return;
            }
        }
        if (inFlight.containsKey(dir)) return;
        if (!Files.isDirectory(dir)) {
            errors.report("Model folder not found", "Choose a folder that holds config.json, "
                    + "model.safetensors and tokenizer.json.", new java.io.FileNotFoundException(dir.toString()));
            recent.forget(folder);
            return;
        }
        String name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
        JobHandle<LanguageModel> handle = jobs.submit(
                JobSpec.transientJob("app", "load-model", "Load model " + name),
                ctx -> {
                    ctx.progress(Double.NaN, "reading " + dir);
                    LanguageModel model = loader.load(dir, ctx);
                    if (ctx.isCancelled()) {
                        model.close();
                        throw new JobCancelledException();
                    }
                    ctx.progress(1, model.summary() + " · " + model.dtype() + " · " + model.device());
                    return model;
                });
        inFlight.put(dir, handle);
        loading.set(name);
        handle.result().whenComplete((model, failure) -> fxThread.execute(() -> {
            inFlight.remove(dir);
            loading.set(inFlight.isEmpty() ? null : inFlight.keySet().iterator().next().getFileName().toString());
            if (failure == null) {
                all.add(model);
                selected.set(model);
                recent.remember(dir);
                LOG.info("Loaded {}: {}", model.name(), model.summary());
            } else if (!(Failures.unwrap(failure) instanceof JobCancelledException)) {
                errors.report("Could not load the model in " + dir,
                        "Check that the folder is a Hugging Face checkpoint (config.json, model.safetensors "
                                + "or its shards with model.safetensors.index.json, tokenizer.json) of a GPT-2, "
                                + "GPT-J or LLaMA model. Models already loaded are unaffected.",
                        Failures.unwrap(failure));
            }
        }));
    }

    @Override
    public void unload(LanguageModel model) {
        int index = all.indexOf(model);
        if (index < 0) return;
        all.remove(index);
        if (selected.get() == model) selected.set(all.isEmpty() ? null : all.get(Math.min(index, all.size() - 1)));
        // closing frees native memory; a running job may still hold it, so close on a worker
        jobs.submit(JobSpec.transientJob("app", "unload-model", "Unload " + model.name()), ctx -> {
            model.close();
            return null;
        });
    }

    /** Closes every model (on exit). */
    public void closeAll() {
        for (JobHandle<LanguageModel> h : inFlight.values()) h.cancel();
        for (LanguageModel m : all) {
            try {
                m.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing {} failed: {}", m.name(), e.toString());
            }
        }
        all.clear();
        selected.set(null);
    }
}
