package org.layerwise.app.runs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.sdk.TaskExecutor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

class RunsBrowserModelTest {
    @TempDir
    Path dir;
    private SqliteRunStore store;
    private final List<Throwable> errors = new ArrayList<>();
    private RunsBrowserModel model;
    private long generate;
    private long probe;
    private long cancelled;

    @BeforeEach
    void fill() {
        store = SqliteRunStore.open(dir.resolve("data"));
        generate = store.startRun("playground", "generate", "Generate: Paris is", "{\"temperature\":0.8,\"top_k\":40}", "/m/gpt2");
        store.metric(generate, "tokens_per_second", 8, 40);
        store.metric(generate, "tokens_per_second", 16, 42);
        store.finishRun(generate, RunStatus.SUCCEEDED, null);
        probe = store.startRun("probe-edit", "contrast-probe", "Probe: Eiffel Tower", "{\"layers\":12}", "/m/gptj");
        store.metric(probe, "tokens_per_second", 1, 5);
        store.finishRun(probe, RunStatus.FAILED, "layer 40 does not exist");
        cancelled = store.startRun("playground", "generate", "Generate: London is", "{\"temperature\":0.2,\"top_k\":40}", "/m/gpt2");
        store.finishRun(cancelled, RunStatus.CANCELLED, "cancelled by the user");
        model = new RunsBrowserModel(store, TaskExecutor.synchronous(), List.of("playground", "builder"), errors::add);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void filtersByTextStatusAndPlugin() {
        model.refresh();
        assertThat(model.runs()).hasSize(3);
        assertThat(model.plugins()).containsExactly("builder", "playground", "probe-edit");

        model.textProperty().set("eiffel");
        assertThat(model.runs()).extracting(RunRecord::id).containsExactly(probe);
        model.textProperty().set("");
        model.statusProperty().set(RunStatus.CANCELLED);
        assertThat(model.runs()).extracting(RunRecord::id).containsExactly(cancelled);
        model.statusProperty().set(null);
        model.pluginProperty().set("playground");
        assertThat(model.runs()).extracting(RunRecord::id).containsExactlyInAnyOrder(generate, cancelled);
        assertThat(errors).isEmpty();
    }

    @Test
    void opensComparesDeletesAndExports() throws Exception {
        List<RunDetails> opened = new ArrayList<>();
        model.details(generate, opened::add);
        assertThat(opened).singleElement().satisfies(d -> {
            assertThat(d.run().title()).isEqualTo("Generate: Paris is");
            assertThat(d.series().get("tokens_per_second")).hasSize(2);
        });

        List<RunComparison> compared = new ArrayList<>();
        model.compare(generate, probe, compared::add);
        assertThat(compared.get(0).commonMetrics()).containsExactly("tokens_per_second");

        Path bundle = dir.resolve("out").resolve("run.zip");
        Files.createDirectories(bundle.getParent());
        List<Path> written = new ArrayList<>();
        model.exportBundle(generate, bundle, written::add);
        assertThat(written).singleElement().satisfies(p -> assertThat(p).exists());
        try (ZipFile zip = new ZipFile(written.get(0).toFile())) {
            assertThat(zip.getEntry("run.json")).isNotNull();
        }

        boolean[] done = {false};
        model.delete(List.of(probe, cancelled), () -> done[0] = true);
        assertThat(done[0]).isTrue();
        assertThat(model.runs()).extracting(RunRecord::id).containsExactly(generate);
        assertThat(store.get(probe)).isEmpty();

        model.details(probe, opened::add);
        assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("no longer in the store"));
    }

    @Test
    void aStaleAnswerNeverReplacesANewerOne() {
        List<Runnable> pending = new ArrayList<>();
        TaskExecutor deferred = new TaskExecutor() {
            @Override
            public <T> void execute(java.util.concurrent.Callable<T> work, java.util.function.Consumer<T> ok,
                                    java.util.function.Consumer<Throwable> fail) {
                pending.add(() -> {
                    try {
                        ok.accept(work.call());
                    } catch (Exception e) {
                        fail.accept(e);
                    }
                });
            }
        };
        RunsBrowserModel slow = new RunsBrowserModel(store, deferred, List.of(), errors::add);
        slow.textProperty().set("Paris");
        slow.textProperty().set("London");
        pending.get(1).run();
        pending.get(0).run(); // the older query answers last
        assertThat(slow.runs()).extracting(RunRecord::id).containsExactly(cancelled);
        assertThat(slow.busyProperty().get()).isFalse();
    }
}
