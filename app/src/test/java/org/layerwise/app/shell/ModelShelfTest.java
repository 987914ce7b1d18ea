package org.layerwise.app.shell;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.model.LanguageModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.prefs.Preferences;

import static org.assertj.core.api.Assertions.assertThat;

class ModelShelfTest {
    private final WorkerPool jobs = new WorkerPool(null, 2);
    private final Preferences prefs = Preferences.userRoot().node("org/layerwise/test/shelf-" + System.nanoTime());
    /** Stands in for the FX thread: results queue here and the test runs them. */
    private final LinkedBlockingQueue<Runnable> fx = new LinkedBlockingQueue<>();
    private final List<String> errors = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        jobs.close();
        prefs.removeNode();
    }

    private ModelShelf shelf(ModelLoader loader) {
        return new ModelShelf(jobs, loader, (title, todo, cause) -> errors.add(title + " | " + cause.getMessage()),
                new RecentFolders(prefs), fx::add);
    }

    private void pump() throws InterruptedException {
        Runnable r = fx.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a load result reached the FX thread").isNotNull();
        r.run();
    }

    @Test
    void loadsInAJobSelectsAndRemembersTheFolder(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("gpt2-small"));
        AtomicInteger loads = new AtomicInteger();
        ModelShelf shelf = shelf((f, ctx) -> {
            loads.incrementAndGet();
            assertThat(Thread.currentThread().getName()).startsWith("layerwise-job");
            return new FakeModel(f);
        });
        shelf.load(folder);
        assertThat(shelf.loadingProperty().get()).isEqualTo("gpt2-small");
        shelf.load(folder); // already on its way: not loaded twice
        pump();
        assertThat(shelf.all()).hasSize(1);
        assertThat(shelf.selected().get().name()).isEqualTo("gpt2-small");
        assertThat(shelf.loadingProperty().get()).isNull();
        assertThat(new RecentFolders(prefs).folders()).containsExactly(folder.toAbsolutePath());

        shelf.load(folder); // loaded already: just selected
        assertThat(fx).isEmpty();
        assertThat(loads).hasValue(1);
        assertThat(errors).isEmpty();
    }

    @Test
    void aFailedLoadIsReportedAndLeavesLoadedModelsAlone(@TempDir Path dir) throws Exception {
        Path good = Files.createDirectories(dir.resolve("good"));
        Path bad = Files.createDirectories(dir.resolve("bad"));
        ModelShelf shelf = shelf((f, ctx) -> {
            if (f.endsWith("bad")) throw new IllegalStateException("model.safetensors: tensor h.0.attn.c_attn.weight missing");
            return new FakeModel(f);
        });
        shelf.load(good);
        pump();
        shelf.load(bad);
        pump();
        assertThat(shelf.all()).extracting(LanguageModel::name).containsExactly("good");
        assertThat(shelf.selected().get().name()).isEqualTo("good");
        assertThat(errors).singleElement().asString().contains("Could not load the model in", "h.0.attn.c_attn.weight");
    }

    @Test
    void aMissingFolderIsReportedWithoutAJob(@TempDir Path dir) {
        ModelShelf shelf = shelf((f, ctx) -> new FakeModel(f));
        shelf.load(dir.resolve("nope"));
        assertThat(errors).singleElement().asString().contains("Model folder not found", "nope");
        assertThat(jobs.active()).isEmpty();
    }

    @Test
    void unloadClosesTheModelAndSelectsANeighbour(@TempDir Path dir) throws Exception {
        ModelShelf shelf = shelf((f, ctx) -> new FakeModel(f));
        shelf.load(Files.createDirectories(dir.resolve("a")));
        pump();
        shelf.load(Files.createDirectories(dir.resolve("b")));
        pump();
        FakeModel b = (FakeModel) shelf.selected().get();
        shelf.unload(b);
        assertThat(shelf.all()).extracting(LanguageModel::name).containsExactly("a");
        assertThat(shelf.selected().get().name()).isEqualTo("a");
        CountDownLatch idle = new CountDownLatch(1);
        jobs.submit(org.layerwise.engine.jobs.JobSpec.transientJob("t", "t", "t"), ctx -> {
            idle.countDown();
            return null;
        });
        assertThat(idle.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 100 && !b.closed; i++) Thread.sleep(20);
        assertThat(b.closed).isTrue();
    }
}
