package org.layerwise.engine.runs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The promise of the run store: a process killed with -9 (SIGKILL, no shutdown hooks, no finally blocks) loses
 * no completed run, keeps what its running run reported more than a flush interval before the kill, and the
 * next start marks that run INTERRUPTED.
 */
class KilledProcessTest {
    private static final int COMPLETED_RUNS = 3;
    private static final int METRICS_PER_RUN = 1500; // more than one metric batch per run

    @TempDir Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aKilledProcessLosesNoCompletedRunAndItsRunningRunBecomesInterrupted() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Xmx256m", RunWriterProcess.class.getName(), dir.toString(), Integer.toString(COMPLETED_RUNS),
                Integer.toString(METRICS_PER_RUN))
                .redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) lines.add(line);
            } catch (Exception ignored) {
                // the stream ends when the child is killed
            }
        });
        reader.setDaemon(true);
        reader.start();

        long[] completedIds = null;
        long killedRun = -1;
        long reportedStep = -1;
        try {
            long deadline = System.currentTimeMillis() + 90_000;
            while (killedRun < 0 && System.currentTimeMillis() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    assertThat(child.isAlive()).as("child exited early; output: %s", output).isTrue();
                    continue;
                }
                output.add(line);
                String[] parts = line.split(" ");
                if (parts[0].equals(RunWriterProcess.COMPLETED)) {
                    completedIds = Arrays.stream(parts[1].split(",")).mapToLong(Long::parseLong).toArray();
                } else if (parts[0].equals(RunWriterProcess.IN_LONG_JOB)) {
                    killedRun = Long.parseLong(parts[1]);
                    reportedStep = Long.parseLong(parts[2]);
                }
            }
            assertThat(killedRun).as("the child never reached its long job; output: %s", output).isPositive();
            // longer than the metric flush interval: everything up to the reported step must be on disk
            Thread.sleep(10 * SqliteRunStore.DEFAULT_METRIC_FLUSH_MILLIS);
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).isEqualTo(137); // 128 + SIGKILL: really killed, not exited

        try (SqliteRunStore store = SqliteRunStore.open(dir)) {
            assertThat(completedIds).hasSize(COMPLETED_RUNS);
            for (int r = 0; r < COMPLETED_RUNS; r++) {
                long id = completedIds[r];
                RunRecord run = store.get(id).orElseThrow();
                assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
                assertThat(run.title()).isEqualTo("completed " + r);
                assertThat(run.modelRef()).isEqualTo("model-" + r);
                assertThat(run.parametersJson()).isEqualTo("{\"run\":" + r + "}");
                List<MetricPoint> metrics = store.metrics(id);
                assertThat(metrics).hasSize(METRICS_PER_RUN);
                assertThat(metrics.get(METRICS_PER_RUN - 1))
                        .isEqualTo(new MetricPoint("loss", METRICS_PER_RUN - 1, r + (METRICS_PER_RUN - 1) / 1000.0));
                assertThat(store.traces(id)).extracting(TraceEvent::json).containsExactly("{\"run\":" + r + "}");
                assertThat(store.artifacts(id)).hasSize(1);
                assertThat(dir.resolve(store.artifacts(id).get(0).relativePath())).hasContent("artifact of run " + r);
            }

            assertThat(store.get(killedRun).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            List<Long> steps = store.metrics(killedRun).stream().map(MetricPoint::step).toList();
            assertThat(steps.size()).isGreaterThan((int) reportedStep);
            for (long s = 0; s <= reportedStep; s++) assertThat(steps).contains(s);

            assertThat(store.markOrphansInterrupted()).isEqualTo(1);
            RunRecord killed = store.get(killedRun).orElseThrow();
            assertThat(killed.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(killed.message()).contains("pid " + child.pid()).contains("killed or crashed");
            for (long id : completedIds) assertThat(store.get(id).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteRunStore.DATABASE_FILE));
             ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
            assertThat(rs.getString(1)).isEqualTo("ok");
        }
        // no half-copied artifact: only complete files and no temporaries under artifacts/
        try (var files = Files.walk(dir.resolve(SqliteRunStore.ARTIFACTS_DIR))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        }
    }
}
