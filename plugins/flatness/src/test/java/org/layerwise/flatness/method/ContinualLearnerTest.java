package org.layerwise.flatness.method;

import org.layerwise.flatness.Blobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.WorkerPool;
import org.layerwise.engine.runs.MetricPoint;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.engine.train.LossLandscape;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ContinualLearnerTest {
    @TempDir Path dir;

    @Test
    void metricsFollowTheirDefinitionsOnAHandMatrix() {
        AccuracyMatrix m = AccuracyMatrix.of(new double[][]{{0.9, 0.1, 0.5}, {0.7, 0.8, 0.5}, {0.6, 0.85, 0.9}});
        assertThat(m.averageAccuracy(2)).isCloseTo((0.6 + 0.85 + 0.9) / 3, within(1e-12));
        // F_2 = mean(max(0.9, 0.7) − 0.6, max(0.8) − 0.85) = (0.3 − 0.05) / 2
        assertThat(m.forgetting(2)).isCloseTo(0.125, within(1e-12));
        assertThat(m.forgetting(1)).isCloseTo(0.2, within(1e-12));
        assertThat(m.intransigence(1, new double[]{0.95, 0.9, 0.92})).isCloseTo(0.1, within(1e-12));
        assertThat(m.completed()).isEqualTo(3);
    }

    @Test
    void presetsCarryTheUpstreamHyperParametersAndOverridesWin() throws Exception {
        ContinualConfig cf = ContinualConfig.preset("cf");
        assertThat(cf.flag("asam") && cf.flag("penalty") && cf.flag("clamp") && cf.flag("replay") && cf.flag("replay_kmeans")).isTrue();
        assertThat(cf.number("rho")).isEqualTo(0.65);
        assertThat(cf.number("lambda")).isEqualTo(5e4);
        assertThat(cf.number("fisher_decay")).isEqualTo(0.95);
        assertThat(cf.integer("fisher_samples")).isEqualTo(128);
        assertThat(cf.integer("replay_every")).isEqualTo(20);
        assertThat(ContinualConfig.preset("ewc").number("lambda")).isEqualTo(1e5);
        assertThat(ContinualConfig.preset("seq").flag("asam")).isFalse();
        TaskSequence seq = TaskSequence.load(Blobs.write(dir, 2, 20));
        ContinualConfig c = MethodComparison.configFor(seq, "cf", List.of("lambda=7", "clamp=false"));
        assertThat(c.number("lambda")).isEqualTo(7.0);
        assertThat(c.flag("clamp")).isFalse();
        assertThat(c.number("lr")).isEqualTo(0.01);                  // from the sequence's training block
        assertThatThrownBy(() -> ContinualConfig.preset("cf").with("lamda", "1")).hasMessageContaining("unknown setting 'lamda'");
        assertThatThrownBy(() -> ContinualConfig.preset("nope")).hasMessageContaining("choose one of");
    }

    @Test
    void everyMethodLearnsTheBlobsAndFillsTheMatrix() throws Exception {
        TaskSequence seq = TaskSequence.load(Blobs.write(dir, 2, 30));
        assertThat(seq.tasks()).hasSize(2);
        assertThat(seq.tasks().get(0).validation().size()).isEqualTo(12);      // 20% of 60
        MethodComparison.Result r = MethodComparison.run(new MethodComparison.Request(seq, List.of("seq", "cf", "multitask"), 1, 0, List.of()), null, null);
        assertThat(r.rows()).extracting(MethodComparison.Row::method).containsExactly("multitask", "seq", "cf");
        for (MethodComparison.Row row : r.rows()) assertThat(row.averageAccuracy()[0]).as(row.method()).isGreaterThan(0.8);
        assertThat(r.rows().get(2).intransigence()[0]).isFinite();
        AccuracyMatrix cf = r.rows().get(2).matrices().get(0);
        assertThat(cf.completed()).isEqualTo(2);
        assertThat(r.markdown()).contains("| cf |").contains("| multitask |");
    }

    @Test
    void clampKeepsWeightsInTheBoxAndViewsRestoreTheModel() throws Exception {
        TaskSequence seq = TaskSequence.load(Blobs.write(dir, 2, 20));
        ContinualConfig cfg = MethodComparison.configFor(seq, "cf", List.of("clamp_rho=0.1", "epochs=1"));
        try (ContinualLearner learner = new ContinualLearner(seq, cfg, 3)) {
            learner.run(null, null);
            // after task 2 every anchored weight lies within θ*_1 ± 0.1|θ*_1|
            Map<String, ai.djl.ndarray.NDArray> before = learner.solutions().get(0), after = learner.solutions().get(1);
            for (String name : List.of("body.0.weight", "body.0.bias", "heads.0.weight")) {
                float[] a = before.get(name).toFloatArray(), b = after.get(name).toFloatArray();
                for (int i = 0; i < a.length; i++) assertThat((double) Math.abs(b[i] - a[i])).isLessThanOrEqualTo(0.1 * Math.abs(a[i]) + 1e-6);
            }
            FlatnessViews views = new FlatnessViews(learner, 64);
            float[] live = learner.classifier().parameters().get("body.0.weight").toFloatArray();
            LossLandscape.Plane p = views.plane(0, LossLandscape.Directions.ABS_SCALED, 0.2, 5, 1, null);
            assertThat(p.loss()).hasDimensions(5, 5);
            assertThat(p.boxRatio()[2][2]).isEqualTo(0.0);                   // the centre is θ* itself
            double[][] interp = views.interpolation(0, 5, null);
            assertThat(interp).hasDimensions(2, 5);
            FlatnessViews.Curvature c = views.curvature(5, 2, 2, null);
            assertThat(c.topEigenvalue()[0][1]).isFinite();
            assertThat(c.topEigenvalue()[1][0]).isNaN();
            assertThat(c.boxSharpness()[0][0]).isGreaterThanOrEqualTo(0);
            assertThat(views.shareAtBound()[0]).isBetween(0.0, 1.0);
            assertThat(views.fisherVsShift(0, 100, 1).fisher()).hasSize(100);
            assertThat(learner.classifier().parameters().get("body.0.weight").toFloatArray()).containsExactly(live);
        }
    }

    @Test
    void classIncrementalUsesOneHeadOverAllClasses() throws Exception {
        TaskSequence seq = TaskSequence.load(Blobs.write(dir, 2, 20));
        ContinualConfig cfg = MethodComparison.configFor(seq, "seq", List.of("class_incremental=true", "epochs=1"));
        try (ContinualLearner learner = new ContinualLearner(seq, cfg, 0)) {
            learner.run(null, null);
            assertThat(learner.classifier().heads()).isEqualTo(1);
            assertThat(learner.classifier().classes(0)).isEqualTo(4);
            assertThat(learner.head(1)).isZero();
            assertThat(learner.labelOffset(1)).isEqualTo(2);
            assertThat(learner.matrix().completed()).isEqualTo(2);
            assertThat(learner.matrix().get(1, 1)).isBetween(0.0, 1.0);
        }
    }

    @Test
    void cancellingMidTaskKeepsEveryCompletedTaskInTheRunStore() throws Exception {
        TaskSequence seq = TaskSequence.load(Blobs.write(dir, 3, 40));
        ContinualConfig cfg = MethodComparison.configFor(seq, "seq", List.of("epochs=50"));
        AtomicReference<JobHandle<AccuracyMatrix>> handle = new AtomicReference<>();
        try (SqliteRunStore store = SqliteRunStore.open(dir.resolve("data")); WorkerPool pool = new WorkerPool(store, 1)) {
            java.util.concurrent.CountDownLatch submitted = new java.util.concurrent.CountDownLatch(1);
            handle.set(pool.submit(JobSpec.recorded("flatness", "continual", "cancel test", Map.of(), null), ctx -> {
                submitted.await();
                try (ContinualLearner learner = new ContinualLearner(seq, cfg, 0)) {
                    return learner.run(ctx, p -> { if (p.task() == 0) handle.get().cancel(); });   // cancel during task 2
                }
            }));
            submitted.countDown();
            assertThatThrownBy(() -> handle.get().result().get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(JobCancelledException.class);
            long run = handle.get().runId();
            waitForStatus(store, run);
            assertThat(store.get(run).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
            List<MetricPoint> metrics = store.metrics(run);
            assertThat(metrics).filteredOn(m -> m.name().startsWith("acc/")).extracting(MetricPoint::step).containsOnly(0L).hasSize(3);
            assertThat(metrics).filteredOn(m -> m.name().equals("avg_acc")).hasSize(1);
            assertThat(store.traces(run)).filteredOn(t -> t.kind().equals("task_done")).hasSize(1);
            // task 1 ran its 50 epochs; task 2 stopped at its first step
            long firstTask = 50L * ((seq.tasks().get(0).train().size() + 7) / 8);
            assertThat(metrics).filteredOn(m -> m.name().equals("loss")).extracting(MetricPoint::step).contains(firstTask).allMatch(s -> s <= firstTask);
        }
    }

    private static void waitForStatus(SqliteRunStore store, long run) throws InterruptedException {
        for (int i = 0; i < 100 && store.get(run).orElseThrow().status() == RunStatus.RUNNING; i++) Thread.sleep(50);
    }
}
