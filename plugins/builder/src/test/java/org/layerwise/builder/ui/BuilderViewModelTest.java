package org.layerwise.builder.ui;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.builder.method.ModelConfig;
import org.layerwise.builder.method.Pretraining;
import org.layerwise.builder.method.PretrainingTest;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.runs.SqliteRunStore;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The workspace's state without a window. */
class BuilderViewModelTest {

    @Test
    void sheetAndJsonStayInStep() {
        BuilderViewModel vm = new BuilderViewModel(Runnable::run);
        vm.set("layers_num", "6");
        assertThat(vm.jsonProperty().get()).contains("\"layers_num\" : 6");
        vm.jsonProperty().set(vm.jsonProperty().get().replace("\"layers_num\" : 6", "\"layers_num\" : 3"));
        assertThat(vm.config().integer("layers_num")).isEqualTo(3);
        vm.jsonProperty().set("{ \"layers_num\": ");
        assertThat(vm.jsonErrorProperty().get()).contains("not valid JSON");
        assertThat(vm.config().integer("layers_num")).isEqualTo(3);          // a half-typed edit keeps the last good config
    }

    @Test
    void problemsCountsAndTrainabilityFollowTheConfig() {
        BuilderViewModel vm = new BuilderViewModel(Runnable::run);
        assertThat(vm.problems()).isEmpty();
        assertThat(vm.trainabilityProperty().get()).isEqualTo("trainable");
        vm.set("heads_num", "3");
        assertThat(vm.problems()).singleElement().asString().contains("not divisible by heads_num 3");
        assertThat(vm.countsProperty().get()).isNull();
        assertThat(vm.canTrain()).isFalse();
        vm.applyPreset("t5-small");
        assertThat(vm.problems()).isEmpty();
        assertThat(vm.countsProperty().get().total()).isEqualTo(60_506_624L);
        assertThat(vm.trainabilityProperty().get()).isEqualTo("trainable");
        vm.set("kv_heads_num", "4");
        assertThat(vm.trainabilityProperty().get()).startsWith("not trainable as configured").contains("grouped-query");
        assertThat(StackDiagram.boxes(vm.config(), vm.countsProperty().get())).extracting(StackDiagram.Box::title)
                .containsExactly("Embedding", "Encoder", "Target embedding", "Decoder", "Target");
    }

    @Test
    void pretrainingFillsTheLossCurveAndOffersTheModel(@TempDir Path dir) throws Exception {
        BuilderViewModel vm = new BuilderViewModel(Runnable::run);
        vm.configProperty().set(ModelConfig.defaults().withOverrides(PretrainingTest.TINY).with("total_steps", "10"));
        try (SqliteRunStore store = SqliteRunStore.open(dir.resolve("data")); WorkerPool pool = new WorkerPool(store, 1)) {
            JobHandle<Pretraining.Result> job = vm.startPretraining(pool, PretrainingTest.corpus(dir),
                    Path.of("src/test/resources/tokenizer"), dir.resolve("out"));
            job.result().get(120, TimeUnit.SECONDS);
            long deadline = System.currentTimeMillis() + 5000;
            while (vm.trainedModelProperty().get() == null && System.currentTimeMillis() < deadline) Thread.sleep(20);
            assertThat(vm.losses()).hasSize(10);
            assertThat(vm.evalLosses()).isNotEmpty();
            assertThat(vm.trainedModelProperty().get()).isEqualTo(dir.resolve("out"));
        }
        vm.set("encoder", "lstm");           // a left-to-right cell cannot learn mlm
        vm.set("mask", "fully_visible");
        vm.set("target", "mlm");
        assertThatThrownBy(() -> vm.startPretraining(null, dir, dir, dir)).hasMessageContaining("not trainable as configured");
    }

    @Test
    void severalTargetsGiveOneLossSeriesEach(@TempDir Path dir) throws Exception {
        BuilderViewModel vm = new BuilderViewModel(Runnable::run);
        vm.configProperty().set(org.layerwise.builder.method.TargetsTest.encoder("mlm,sp").with("total_steps", "4"));
        assertThat(vm.trainabilityProperty().get()).isEqualTo("trainable");
        try (SqliteRunStore store = SqliteRunStore.open(dir.resolve("data")); WorkerPool pool = new WorkerPool(store, 1)) {
            JobHandle<Pretraining.Result> job = vm.startPretraining(pool, org.layerwise.builder.method.TargetsTest.documents(dir),
                    org.layerwise.builder.method.TargetsTest.TOKENIZER, dir.resolve("out"));
            job.result().get(120, TimeUnit.SECONDS);
            assertThat(vm.targetLosses()).extracting(BuilderViewModel.TargetLoss::target).containsOnly("mlm", "sp").hasSize(8);
            for (BuilderViewModel.TargetLoss t : vm.targetLosses()) assertThat(t.loss()).isPositive();
        }
    }

    @Test
    void thePluginContributesThePretrainCommand() {
        assertThat(new BuilderPlugin().cliCommands()).singleElement().isInstanceOf(org.layerwise.builder.cli.PretrainCommand.class);
        assertThat(List.of(new BuilderPlugin().id())).containsExactly("builder");
    }
}
