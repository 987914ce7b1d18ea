package org.layerwise.app.shell;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.layerwise.engine.jobs.JobHandle;
import org.layerwise.engine.jobs.JobSpec;
import org.layerwise.engine.jobs.JobState;
import org.layerwise.engine.jobs.WorkerPool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class JobBoardTest {
    private final WorkerPool jobs = new WorkerPool(null, 2);
    private final LinkedBlockingQueue<Runnable> fx = new LinkedBlockingQueue<>();
    private final LogBuffer log = new LogBuffer(100, Runnable::run);

    @AfterEach
    void close() {
        jobs.close();
    }

    private void drain() {
        for (Runnable r; (r = fx.poll()) != null; ) r.run();
    }

    private static void await(JobHandle<?> h) {
        try {
            h.result().handle((v, e) -> null).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyJobGetsARowThatEndsWithItsOutcome() throws Exception {
        JobBoard board = new JobBoard(jobs, log, fx::add);
        List<JobRow> finished = new ArrayList<>();
        board.onFinished(finished::add);

        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        JobHandle<Integer> ok = jobs.submit(JobSpec.transientJob("t", "count", "Count to ten"), ctx -> {
            for (int i = 1; i <= 10; i++) {
                ctx.progress(i / 10.0, i + " of 10");
                if (i == 5) {
                    halfway.countDown();
                    release.await();
                }
            }
            ctx.log("counted");
            return 10;
        });
        assertThat(halfway.await(5, TimeUnit.SECONDS)).isTrue();
        drain();
        assertThat(board.rows()).singleElement().satisfies(r -> {
            assertThat(r.titleProperty().get()).isEqualTo("Count to ten");
            assertThat(r.state()).isEqualTo(JobState.RUNNING);
            assertThat(r.progressProperty().get()).isEqualTo(0.5);
            assertThat(r.messageProperty().get()).isEqualTo("5 of 10");
        });
        assertThat(board.runningCount()).isEqualTo(1);
        release.countDown();
        await(ok);

        JobHandle<Object> bad = jobs.submit(JobSpec.transientJob("t", "fail", "Fails"), ctx -> {
            throw new IllegalArgumentException("layer 40 does not exist (the model has 12)");
        });
        await(bad);
        drain();

        assertThat(board.rows()).hasSize(2);
        JobRow failed = board.rows().get(0);
        JobRow done = board.rows().get(1);
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.progressProperty().get()).isEqualTo(1.0);
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.messageProperty().get()).contains("layer 40 does not exist");
        assertThat(finished).containsExactlyInAnyOrder(done, failed);
        assertThat(log.lines()).extracting(LogLine::text).contains("counted");
        assertThat(log.lines()).anySatisfy(l -> {
            assertThat(l.level()).isEqualTo(LogLine.Level.ERROR);
            assertThat(l.source()).isEqualTo("Fails");
        });

        board.clearFinished();
        assertThat(board.rows()).isEmpty();
    }

    @Test
    void cancelFromTheRowStopsTheJob() throws Exception {
        JobBoard board = new JobBoard(jobs, log, fx::add);
        CountDownLatch started = new CountDownLatch(1);
        JobHandle<Object> h = jobs.submit(JobSpec.transientJob("t", "wait", "Waits"), ctx -> {
            started.countDown();
            while (true) {
                ctx.checkCancelled();
                Thread.sleep(5);
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        drain();
        board.rows().get(0).cancel();
        await(h);
        drain();
        assertThat(board.rows().get(0).state()).isEqualTo(JobState.CANCELLED);
        assertThat(board.rows().get(0).messageProperty().get()).contains("cancelled");
        assertThat(board.runningCount()).isZero();
    }
}
