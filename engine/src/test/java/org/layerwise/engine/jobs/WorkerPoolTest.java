package org.layerwise.engine.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.io.AtomicFiles;
import org.layerwise.engine.runs.RunQuery;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.SqliteRunStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkerPoolTest {
    @TempDir Path dir;
    SqliteRunStore store;
    WorkerPool pool;

    @BeforeEach
    void setUp() {
        store = SqliteRunStore.open(dir);
        pool = new WorkerPool(store, 2);
    }

    @AfterEach
    void tearDown() {
        pool.close();
        store.close();
    }

    /** Records every event as text, in order. */
    static final class EventLog implements JobListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());

        @Override public void onProgress(JobHandle<?> job, double fraction, String message) {
            events.add("progress " + fraction + " " + message);
        }
        @Override public void onMetric(JobHandle<?> job, String name, long step, double value) {
            events.add("metric " + name + " " + step + " " + value);
        }
        @Override public void onLog(JobHandle<?> job, String line) {
            events.add("log " + line);
        }
        @Override public void onStateChanged(JobHandle<?> job, JobState state) {
            events.add("state " + state);
            threads.add(Thread.currentThread().getName());
        }
        List<String> states() {
            synchronized (events) {
                return events.stream().filter(e -> e.startsWith("state ")).toList();
            }
        }
    }

    @Test
    void aSuccessfulRecordedJobWritesItsRunAsItGoes() throws Exception {
        EventLog global = new EventLog();
        pool.addGlobalListener(global);
        Path source = Files.writeString(dir.resolve("curve.csv"), "step,loss\n0,1\n");
        JobSpec spec = JobSpec.recorded("flatness", "train", "C&F on 2 tasks",
                Map.of("lr", 0.01, "epochs", 3, "data", Path.of("/data/mnist"), "optimizer", RunStatus.SUCCEEDED),
                "tiny-mlp");

        JobHandle<String> handle = pool.submit(spec, ctx -> {
            assertThat(store.get(ctx.runId()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            for (int step = 0; step < 3; step++) {
                ctx.checkCancelled();
                ctx.metric("loss", step, 1.0 / (step + 1));
                ctx.progress((step + 1) / 3.0, "epoch " + (step + 1) + "/3");
            }
            ctx.log("converged");
            ctx.trace("epoch", "{\"epoch\":3}");
            Path kept = ctx.artifact("curve.csv", source);
            assertThat(kept).startsWith(dir.resolve("artifacts"));
            return "trained";
        });

        assertThat(handle.result().get(30, TimeUnit.SECONDS)).isEqualTo("trained");
        assertThat(handle.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(handle.progress()).isEqualTo(1.0);
        assertThat(handle.message()).isEqualTo("done");
        assertThat(handle.spec()).isEqualTo(spec);
        assertThat(pool.active()).isEmpty();

        RunRecord run = store.get(handle.runId()).orElseThrow();
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.plugin()).isEqualTo("flatness");
        assertThat(run.kind()).isEqualTo("train");
        assertThat(run.title()).isEqualTo("C&F on 2 tasks");
        assertThat(run.modelRef()).isEqualTo("tiny-mlp");
        assertThat(run.endedAt()).isNotNull();
        JsonNode params = new ObjectMapper().readTree(run.parametersJson());
        assertThat(params.get("lr").asDouble()).isEqualTo(0.01);
        assertThat(params.get("epochs").asInt()).isEqualTo(3);
        assertThat(params.get("data").asText()).isEqualTo("/data/mnist");
        assertThat(params.get("optimizer").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.parametersJson()).startsWith("{\"data\""); // sorted keys
        assertThat(store.metrics(handle.runId())).hasSize(3);
        assertThat(store.traces(handle.runId())).extracting(e -> e.kind()).containsExactly("epoch");
        assertThat(store.artifacts(handle.runId())).extracting(a -> a.name()).containsExactly("curve.csv");

        assertThat(global.events).containsExactly(
                "state QUEUED", "state RUNNING",
                "metric loss 0 1.0", "progress 0.3333333333333333 epoch 1/3",
                "metric loss 1 0.5", "progress 0.6666666666666666 epoch 2/3",
                "metric loss 2 0.3333333333333333", "progress 1.0 epoch 3/3",
                "log converged", "state SUCCEEDED");
        assertThat(global.threads.subList(1, 3)).allSatisfy(t -> assertThat(t).startsWith("layerwise-job-"));
    }

    @Test
    void aFailingJobEndsFailedWithTheExceptionSummary() throws Exception {
        EventLog events = new EventLog();
        pool.addGlobalListener(events);
        JobHandle<Void> handle = pool.submit(JobSpec.recorded("probe-edit", "rome", "edit", Map.of(), "gpt2"), ctx -> {
            ctx.metric("loss", 0, 2.0);
            throw new IllegalStateException("tensor 'blocks.5.mlp.c_proj.weight' has shape [2, 3], expected [3, 2]",
                    new ArithmeticException("shape check"));
        });

        assertThatThrownBy(() -> handle.result().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IllegalStateException.class);
        assertThat(handle.state()).isEqualTo(JobState.FAILED);
        RunRecord run = store.get(handle.runId()).orElseThrow();
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.message()).isEqualTo("IllegalStateException: tensor 'blocks.5.mlp.c_proj.weight' has shape "
                + "[2, 3], expected [3, 2] (caused by ArithmeticException: shape check)");
        assertThat(handle.message()).isEqualTo(run.message());
        assertThat(store.metrics(handle.runId())).hasSize(1); // what it reported before failing is kept
        var errors = store.traces(handle.runId());
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).kind()).isEqualTo("error");
        JsonNode error = new ObjectMapper().readTree(errors.get(0).json());
        assertThat(error.get("exception").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.get("stackTrace").asText()).contains("WorkerPoolTest").contains("ArithmeticException");
        assertThat(events.states()).containsExactly("state QUEUED", "state RUNNING", "state FAILED");
    }

    @Test
    void cancellingACooperativeJobStopsItPromptlyAndRecordsCancelled() throws Exception {
        EventLog events = new EventLog();
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger steps = new AtomicInteger();
        JobHandle<Void> handle = pool.submit(JobSpec.recorded("flatness", "hessian", "spin", Map.of(), null), ctx -> {
            for (long step = 0; ; step++) {
                ctx.checkCancelled();
                ctx.metric("x", step, step);
                steps.incrementAndGet();
                started.countDown();
                busyWork();
            }
        });
        handle.addListener(events);
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

        long cancelledAt = System.nanoTime();
        handle.cancel();
        assertThatThrownBy(() -> handle.result().get(5, TimeUnit.SECONDS)).cause().isInstanceOf(JobCancelledException.class);
        long stoppedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelledAt);
        assertThat(stoppedMillis).isLessThan(2_000);

        int after = steps.get();
        Thread.sleep(100);
        assertThat(steps.get()).isEqualTo(after); // really stopped
        assertThat(handle.state()).isEqualTo(JobState.CANCELLED);
        RunRecord run = store.get(handle.runId()).orElseThrow();
        assertThat(run.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(run.message()).isEqualTo("cancelled by the user");
        assertThat(store.metrics(handle.runId())).hasSize(after);
        assertThat(events.states()).endsWith("state CANCELLED");
        assertThat(events.states()).containsOnlyOnce("state CANCELLED");
    }

    @Test
    void cancellingABlockedJobInterruptsItAndTheThreadStaysClean() throws Exception {
        WorkerPool single = new WorkerPool(store, 1);
        try {
            CountDownLatch started = new CountDownLatch(1);
            JobHandle<Void> blocked = single.submit(JobSpec.recorded("p", "wait", "blocked", Map.of(), null), ctx -> {
                started.countDown();
                new CountDownLatch(1).await(); // never counted down: only an interrupt ends this
                return null;
            });
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            blocked.cancel();
            assertThatThrownBy(() -> blocked.result().get(5, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(JobCancelledException.class);
            assertThat(store.get(blocked.runId()).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
            assertThat(store.get(blocked.runId()).orElseThrow().message()).isEqualTo("cancelled by the user");

            // the same worker thread takes the next job without a stray interrupt
            JobHandle<Boolean> next = single.submit(JobSpec.transientJob("p", "check", "next"),
                    ctx -> Thread.currentThread().isInterrupted());
            assertThat(next.result().get(30, TimeUnit.SECONDS)).isFalse();
        } finally {
            single.close();
        }
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnceWithoutARun() throws Exception {
        WorkerPool single = new WorkerPool(store, 1);
        try {
            CountDownLatch release = new CountDownLatch(1);
            JobHandle<Void> first = single.submit(JobSpec.recorded("p", "k", "first", Map.of(), null), ctx -> {
                release.await();
                return null;
            });
            AtomicBoolean ran = new AtomicBoolean();
            EventLog events = new EventLog();
            JobHandle<Void> queued = single.submit(JobSpec.recorded("p", "k", "queued", Map.of(), null), ctx -> {
                ran.set(true);
                return null;
            });
            queued.addListener(events);
            assertThat(queued.state()).isEqualTo(JobState.QUEUED);
            assertThat(single.active()).containsExactly(first, queued);

            queued.cancel();
            assertThat(queued.state()).isEqualTo(JobState.CANCELLED);
            assertThat(queued.result()).isCompletedExceptionally();
            assertThat(events.states()).containsExactly("state CANCELLED");
            assertThat(single.active()).containsExactly(first);

            release.countDown();
            first.result().get(30, TimeUnit.SECONDS);
            single.submit(JobSpec.transientJob("p", "k", "barrier"), ctx -> null).result().get(30, TimeUnit.SECONDS);
            assertThat(ran).isFalse();
            assertThat(queued.runId()).isEqualTo(-1);
            assertThat(store.list(RunQuery.all())).extracting(RunRecord::title).containsExactly("first");
        } finally {
            single.close();
        }
    }

    @Test
    void aCancelledJobLeavesNoHalfWrittenFile() throws Exception {
        Path output = dir.resolve("activations.bin");
        CountDownLatch writing = new CountDownLatch(1);
        JobHandle<Path> handle = pool.submit(JobSpec.recorded("p", "dump", "dump", Map.of(), null), ctx ->
                AtomicFiles.write(output, out -> {
                    while (true) {
                        out.write(new byte[4096]);
                        writing.countDown();
                        ctx.checkCancelled();
                        busyWork();
                    }
                }));
        assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
        handle.cancel();
        assertThatThrownBy(() -> handle.result().get(5, TimeUnit.SECONDS)).cause().isInstanceOf(JobCancelledException.class);
        assertThat(output).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("activations"));
        }
    }

    @Test
    void progressIsClampedAndIndeterminateIsKept() throws Exception {
        EventLog events = new EventLog();
        pool.addGlobalListener(events);
        JobHandle<Void> handle = pool.submit(JobSpec.transientJob("p", "k", "progress"), ctx -> {
            ctx.progress(Double.NaN, "loading model");
            ctx.progress(-0.5, "starting");
            ctx.progress(0.5, null);
            ctx.progress(7, "finishing");
            return null;
        });
        handle.result().get(30, TimeUnit.SECONDS);
        assertThat(events.events).containsSubsequence("progress NaN loading model", "progress 0.0 starting",
                "progress 0.5 starting", "progress 1.0 finishing");
    }

    @Test
    void jobsRunConcurrentlyAndEachRecordsItsOwnRun() throws Exception {
        WorkerPool three = new WorkerPool(store, 3);
        try {
            CyclicBarrier together = new CyclicBarrier(3);
            List<JobHandle<Integer>> handles = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
                int job = j;
                handles.add(three.submit(JobSpec.recorded("p", "k", "job " + j, Map.of("j", j), null), ctx -> {
                    together.await(20, TimeUnit.SECONDS); // only passes if all three run at once
                    for (int s = 0; s < 200; s++) ctx.metric("loss", s, job * 1000 + s);
                    return job;
                }));
            }
            for (int j = 0; j < 3; j++) assertThat(handles.get(j).result().get(30, TimeUnit.SECONDS)).isEqualTo(j);
            for (JobHandle<Integer> h : handles) {
                assertThat(store.get(h.runId()).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
                int j = h.result().get();
                assertThat(store.metrics(h.runId())).hasSize(200)
                        .allSatisfy(p -> assertThat(p.value()).isBetween(j * 1000.0, j * 1000.0 + 199));
            }
            assertThat(handles.stream().map(JobHandle::id).distinct()).hasSize(3);
            assertThat(three.active()).isEmpty();
        } finally {
            three.close();
        }
    }

    @Test
    void anUnrecordedPoolStillReportsEverythingToListeners() throws Exception {
        try (WorkerPool unrecorded = new WorkerPool(null, 1)) {
            EventLog events = new EventLog();
            unrecorded.addGlobalListener(events);
            Path file = dir.resolve("f.txt");
            JobHandle<Path> h = unrecorded.submit(JobSpec.recorded("p", "k", "t", Map.of(), null), ctx -> {
                assertThat(ctx.runId()).isEqualTo(-1);
                ctx.metric("m", 1, 2.0);
                ctx.trace("ignored", "{}");
                return ctx.artifact("f", file);
            });
            assertThat(h.result().get(30, TimeUnit.SECONDS)).isEqualTo(file);
            assertThat(h.runId()).isEqualTo(-1);
            assertThat(events.events).contains("metric m 1 2.0");
        }
        assertThat(store.list(RunQuery.all())).isEmpty();
    }

    @Test
    void aBrokenListenerDoesNotBreakTheJobAndLateListenersHearTheEndOnce() throws Exception {
        pool.addGlobalListener(new JobListener() {
            @Override public void onProgress(JobHandle<?> job, double f, String m) {
                throw new IllegalStateException("view is gone");
            }
        });
        JobHandle<Integer> h = pool.submit(JobSpec.transientJob("p", "k", "t"), ctx -> {
            ctx.progress(0.5, "half");
            return 42;
        });
        assertThat(h.result().get(30, TimeUnit.SECONDS)).isEqualTo(42);
        EventLog late = new EventLog();
        h.addListener(late);
        assertThat(late.events).containsExactly("state SUCCEEDED");
    }

    @Test
    void closingThePoolCancelsRunningJobsAndRefusesNewOnes() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        JobHandle<Void> h = pool.submit(JobSpec.recorded("p", "k", "long", Map.of(), null), ctx -> {
            started.countDown();
            Thread.sleep(60_000);
            return null;
        });
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        pool.close();
        assertThat(h.state()).isEqualTo(JobState.CANCELLED);
        assertThat(store.get(h.runId()).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
        assertThatThrownBy(() -> pool.submit(JobSpec.transientJob("p", "k", "late"), ctx -> null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aJobThatIgnoresTheFlagButFailsAfterCancelIsCancelledNotFailed() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        JobHandle<Void> h = pool.submit(JobSpec.recorded("p", "k", "t", Map.of(), null), ctx -> {
            started.countDown();
            while (!ctx.isCancelled()) busyWork();
            throw new java.io.IOException("stream closed");
        });
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        h.cancel();
        assertThatThrownBy(() -> h.result().get(5, TimeUnit.SECONDS)).cause().isInstanceOf(JobCancelledException.class);
        assertThat(store.get(h.runId()).orElseThrow().message())
                .isEqualTo("cancelled by the user (it stopped with IOException: stream closed)");
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new WorkerPool(store, 0)).hasMessageContaining("at least one thread");
        assertThatThrownBy(() -> pool.submit(null, ctx -> null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** A little CPU work between cancellation checks, like a training step. */
    private static void busyWork() {
        double x = 0;
        for (int i = 0; i < 20_000; i++) x += Math.sqrt(i);
        if (x < 0) throw new AssertionError();
    }
}
