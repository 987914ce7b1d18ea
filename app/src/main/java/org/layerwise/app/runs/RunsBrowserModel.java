package org.layerwise.app.runs;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.layerwise.engine.runs.RunQuery;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.RunStore;
import org.layerwise.sdk.TaskExecutor;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The runs browser without its view: filters, the listed runs, and the store operations (each off the
 * FX thread through the {@link TaskExecutor}). Queries are "latest wins": a slow answer to an old
 * filter never replaces the answer to a newer one.
 */
public final class RunsBrowserModel {
    /** Most rows listed at once; older runs show when the filters narrow the list. */
    public static final int LIMIT = 2_000;

    private final RunStore store;
    private final TaskExecutor tasks;
    private final Consumer<Throwable> onError;
    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final ObjectProperty<RunStatus> status = new SimpleObjectProperty<>(this, "status");
    private final StringProperty plugin = new SimpleStringProperty(this, "plugin");
    private final ObservableList<RunRecord> runs = FXCollections.observableArrayList();
    private final ObservableList<String> plugins = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private long generation;

    public RunsBrowserModel(RunStore store, TaskExecutor tasks, Collection<String> knownPlugins,
                            Consumer<Throwable> onError) {
        this.store = store;
        this.tasks = tasks;
        this.onError = onError;
        this.plugins.setAll(new TreeSet<>(knownPlugins));
        text.addListener((o, a, b) -> refresh());
        status.addListener((o, a, b) -> refresh());
        plugin.addListener((o, a, b) -> refresh());
    }

    public StringProperty textProperty() { return text; }
    public ObjectProperty<RunStatus> statusProperty() { return status; }
    public StringProperty pluginProperty() { return plugin; }
    public ObservableList<RunRecord> runs() { return runs; }
    /** Plugin ids to filter by: the installed plugins and any that appear in the store. */
    public ObservableList<String> plugins() { return plugins; }
    public ReadOnlyBooleanProperty busyProperty() { return busy.getReadOnlyProperty(); }

    public RunQuery query() {
        String t = text.get() == null || text.get().isBlank() ? null : text.get().trim();
        String p = plugin.get() == null || plugin.get().isBlank() ? null : plugin.get();
        return new RunQuery(p, status.get(), t, LIMIT);
    }

    /** Lists the runs that match the filters. */
    public void refresh() {
        long mine = ++generation;
        RunQuery q = query();
        busy.set(true);
        tasks.execute(() -> store.list(q), list -> {
            if (mine != generation) return;
            busy.set(false);
            runs.setAll(list);
            TreeSet<String> ids = new TreeSet<>(plugins);
            list.forEach(r -> ids.add(r.plugin()));
            if (ids.size() != plugins.size()) plugins.setAll(ids);
        }, failure -> {
            if (mine == generation) busy.set(false);
            onError.accept(failure);
        });
    }

    public void details(long runId, Consumer<RunDetails> onLoaded) {
        tasks.execute(() -> read(runId), onLoaded, onError);
    }

    public void compare(long left, long right, Consumer<RunComparison> onLoaded) {
        tasks.execute(() -> new RunComparison(read(left), read(right)), onLoaded, onError);
    }

    /** Deletes the runs (rows and artifact files), then lists again. */
    public void delete(List<Long> runIds, Runnable onDone) {
        tasks.execute(() -> {
            for (long id : runIds) store.delete(id);
            return runIds.size();
        }, n -> {
            refresh();
            onDone.run();
        }, onError);
    }

    /** Writes the run's bundle (run.json + artifacts in a zip) to {@code target}. */
    public void exportBundle(long runId, Path target, Consumer<Path> onWritten) {
        tasks.execute(() -> store.exportBundle(runId, target), onWritten, onError);
    }

    private RunDetails read(long runId) {
        RunRecord run = store.get(runId).orElseThrow(() -> new IllegalStateException(
                "run " + runId + " is no longer in the store (deleted?); refresh the list"));
        return new RunDetails(run, store.metrics(runId), store.artifacts(runId), store.traces(runId));
    }
}
