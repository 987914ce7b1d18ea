package org.layerwise.engine.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteRunStoreTest {
    @TempDir Path dir;
    SqliteRunStore store;

    @BeforeEach
    void open() {
        store = SqliteRunStore.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void startsAndFinishesRunsWithAllFields() {
        long id = store.startRun("playground", "generate", "Hello GPT-2", "{\"temperature\":0.7,\"topK\":40}",
                "/models/gpt2");
        RunRecord running = store.get(id).orElseThrow();
        assertThat(running.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(running.plugin()).isEqualTo("playground");
        assertThat(running.kind()).isEqualTo("generate");
        assertThat(running.title()).isEqualTo("Hello GPT-2");
        assertThat(running.modelRef()).isEqualTo("/models/gpt2");
        assertThat(running.parametersJson()).isEqualTo("{\"temperature\":0.7,\"topK\":40}");
        assertThat(running.endedAt()).isNull();
        assertThat(store.owner(id)).contains("pid " + ProcessHandle.current().pid() + " on " + SqliteRunStore.thisHost());

        store.finishRun(id, RunStatus.FAILED, "IllegalStateException: out of memory");
        RunRecord done = store.get(id).orElseThrow();
        assertThat(done.status()).isEqualTo(RunStatus.FAILED);
        assertThat(done.message()).isEqualTo("IllegalStateException: out of memory");
        assertThat(done.endedAt()).isNotNull().isAfterOrEqualTo(done.startedAt());
        assertThat(store.get(id + 1000)).isEmpty();
    }

    @Test
    void refusesBadInput() {
        assertThatThrownBy(() -> store.startRun("p", "k", "t", "[1,2]", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> store.startRun("p", "k", "t", "{oops", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> store.finishRun(424242, RunStatus.SUCCEEDED, null))
                .hasMessageContaining("no run 424242");
        long id = store.startRun("p", "k", "t", null, null);
        assertThat(store.get(id).orElseThrow().parametersJson()).isEqualTo("{}");
        assertThatThrownBy(() -> store.finishRun(id, RunStatus.RUNNING, null)).hasMessageContaining("final status");
        assertThatThrownBy(() -> store.trace(id, "step", "not json")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> store.trace(424242, "step", "{}")).hasMessageContaining("no run 424242");
    }

    @Test
    void metricSeriesRoundTripIncludingNaNAndInfinity() {
        long id = store.startRun("flatness", "train", "t", "{}", null);
        for (int step = 0; step < 2500; step++) {
            store.metric(id, "loss", step, 1.0 / (step + 1));
            if (step % 10 == 0) store.metric(id, "accuracy", step, step / 2500.0);
        }
        store.metric(id, "diverged", 0, Double.NaN);
        store.metric(id, "diverged", 1, Double.POSITIVE_INFINITY);
        store.finishRun(id, RunStatus.SUCCEEDED, null);

        List<MetricPoint> points = store.metrics(id);
        assertThat(points).hasSize(2500 + 250 + 2);
        List<MetricPoint> loss = points.stream().filter(p -> p.name().equals("loss")).toList();
        assertThat(loss).hasSize(2500);
        assertThat(loss.get(0)).isEqualTo(new MetricPoint("loss", 0, 1.0));
        assertThat(loss.get(2499)).isEqualTo(new MetricPoint("loss", 2499, 1.0 / 2500));
        List<MetricPoint> diverged = points.stream().filter(p -> p.name().equals("diverged")).toList();
        assertThat(diverged.get(0).value()).isNaN();
        assertThat(diverged.get(1).value()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void metricsAreReadableWhileTheRunIsStillGoing() {
        long id = store.startRun("p", "k", "t", "{}", null);
        store.metric(id, "loss", 0, 3.0);
        // no finish, no explicit flush: a live chart reading the run still sees the point
        assertThat(store.metrics(id)).containsExactly(new MetricPoint("loss", 0, 3.0));
    }

    @Test
    void bufferedMetricsReachTheDatabaseWithinTheFlushInterval() throws Exception {
        long id = store.startRun("p", "k", "t", "{}", null);
        store.metric(id, "loss", 0, 3.0);
        // a second connection sees only what is committed
        long deadline = System.currentTimeMillis() + 5_000;
        int seen = 0;
        while (System.currentTimeMillis() < deadline && seen == 0) {
            Thread.sleep(20);
            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store.databaseFile());
                 var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM metrics WHERE run_id = " + id)) {
                seen = rs.getInt(1);
            }
        }
        assertThat(seen).isEqualTo(1);
    }

    @Test
    void aPointForAnUnknownRunDoesNotCostTheOthersInItsBatch() {
        long id = store.startRun("p", "k", "t", "{}", null);
        store.metric(id, "loss", 0, 1.0);
        store.metric(424242, "loss", 0, 9.0); // no such run: the foreign key refuses it
        store.metric(id, "loss", 1, 0.5);
        store.flush();
        assertThat(store.metrics(id)).extracting(MetricPoint::step).containsExactly(0L, 1L);
        assertThat(store.metrics(424242)).isEmpty();
        // the connection is back in auto-commit: later writes commit on their own
        store.finishRun(id, RunStatus.SUCCEEDED, null);
        assertThat(store.get(id).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void traceEventsAreNumberedInOrder() {
        long id = store.startRun("prompt-opt", "grace", "t", "{}", null);
        store.trace(id, "candidate", "{\"prompt\":\"Answer briefly.\",\"score\":0.41}");
        store.trace(id, "gate", "{\"accepted\":false}");
        store.trace(id, "candidate", "{\"prompt\":\"Think step by step.\",\"score\":0.57}");
        long other = store.startRun("prompt-opt", "grace", "other", "{}", null);
        store.trace(other, "candidate", "{}");

        List<TraceEvent> events = store.traces(id);
        assertThat(events).extracting(TraceEvent::seq).containsExactly(1L, 2L, 3L);
        assertThat(events).extracting(TraceEvent::kind).containsExactly("candidate", "gate", "candidate");
        assertThat(events.get(1).json()).isEqualTo("{\"accepted\":false}");
        assertThat(events).allSatisfy(e -> assertThat(e.at()).isNotNull());
        assertThat(store.traces(other)).extracting(TraceEvent::seq).containsExactly(1L);
    }

    @Test
    void artifactsAreCopiedUnderTheDataDirectory() throws IOException {
        long id = store.startRun("probe-edit", "rome", "t", "{}", null);
        Path csv = Files.writeString(dir.resolve("out.csv"), "layer,effect\n0,0.1\n");
        Path model = Files.createDirectories(dir.resolve("edited"));
        Files.writeString(model.resolve("config.json"), "{\"n_layer\":2}");
        Files.write(model.resolve("model.safetensors"), new byte[1234]);

        Path kept = store.addArtifact(id, "effects.csv", csv);
        Path keptModel = store.addArtifact(id, "edited-model", model);

        assertThat(kept).isEqualTo(dir.resolve("artifacts").resolve(Long.toString(id)).resolve("effects.csv"));
        assertThat(Files.readString(kept)).isEqualTo("layer,effect\n0,0.1\n");
        assertThat(keptModel.resolve("model.safetensors")).hasSize(1234);
        assertThat(store.artifacts(id)).containsExactly(
                new ArtifactRecord(id, "edited-model", "artifacts/" + id + "/edited-model", 1234 + 13),
                new ArtifactRecord(id, "effects.csv", "artifacts/" + id + "/effects.csv", 19));
        // the source can go away; the run keeps its copy
        Files.delete(csv);
        assertThat(kept).exists();
        // same name again replaces
        store.addArtifact(id, "effects.csv", Files.writeString(dir.resolve("v2.csv"), "x"));
        assertThat(kept).hasContent("x");
        assertThat(store.artifacts(id)).hasSize(2);

        assertThatThrownBy(() -> store.addArtifact(id, "../escape.csv", model)).hasMessageContaining("plain file name");
        assertThatThrownBy(() -> store.addArtifact(id, "missing", dir.resolve("nope"))).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> store.addArtifact(99999, "x", model)).hasMessageContaining("no run 99999");
    }

    @Test
    void listFiltersByPluginStatusTextAndLimitNewestFirst() {
        long a = store.startRun("playground", "generate", "Paris prompt", "{}", "gpt2");
        long b = store.startRun("flatness", "train", "C&F on split MNIST", "{}", "tiny-mlp");
        long c = store.startRun("playground", "forward", "logit lens", "{}", "/models/llama-7b");
        long d = store.startRun("probe-edit", "contrast", "100%_sure", "{}", null);
        store.finishRun(a, RunStatus.SUCCEEDED, null);
        store.finishRun(b, RunStatus.FAILED, "boom");

        assertThat(ids(RunQuery.all())).containsExactly(d, c, b, a);
        assertThat(ids(new RunQuery("playground", null, null, 0))).containsExactly(c, a);
        assertThat(ids(new RunQuery(null, RunStatus.RUNNING, null, 0))).containsExactly(d, c);
        assertThat(ids(new RunQuery("playground", RunStatus.SUCCEEDED, null, 0))).containsExactly(a);
        assertThat(ids(new RunQuery(null, null, "llama", 0))).containsExactly(c);   // model
        assertThat(ids(new RunQuery(null, null, "mnist", 0))).containsExactly(b);   // title, any case
        assertThat(ids(new RunQuery(null, null, "generate", 0))).containsExactly(a); // kind
        assertThat(ids(new RunQuery(null, null, "0%_", 0))).containsExactly(d);     // LIKE wildcards are literal
        assertThat(ids(new RunQuery(null, null, "_", 0))).containsExactly(d);
        assertThat(ids(new RunQuery(null, null, null, 2))).containsExactly(d, c);
    }

    private List<Long> ids(RunQuery q) {
        return store.list(q).stream().map(RunRecord::id).toList();
    }

    @Test
    void bundleHoldsRunJsonMetricsCsvAndArtifacts() throws IOException {
        long id = store.startRun("probe-edit", "rome", "Edit Eiffel Tower", "{\"layer\":5,\"lr\":0.5}", "gpt2");
        store.metric(id, "loss", 0, 2.5);
        store.metric(id, "loss", 1, 1.25);
        store.metric(id, "efficacy", 0, Double.NaN);
        store.trace(id, "step", "{\"layer\":5,\"delta\":[0.1,0.2]}");
        store.addArtifact(id, "effects.csv", Files.writeString(dir.resolve("e.csv"), "a,b\n"));
        Path model = Files.createDirectories(dir.resolve("m"));
        Files.writeString(model.resolve("config.json"), "{}");
        store.addArtifact(id, "model", model);
        store.finishRun(id, RunStatus.SUCCEEDED, null);

        Path zip = store.exportBundle(id, dir.resolve("out/bundle.zip"));
        Map<String, byte[]> entries = unzip(zip);
        assertThat(entries.keySet()).containsExactly("run.json", "metrics.csv", "artifacts/effects.csv",
                "artifacts/model/config.json");
        assertThat(new String(entries.get("artifacts/effects.csv"), StandardCharsets.UTF_8)).isEqualTo("a,b\n");
        assertThat(new String(entries.get("metrics.csv"), StandardCharsets.UTF_8))
                .isEqualTo("name,step,value\nefficacy,0,NaN\nloss,0,2.5\nloss,1,1.25\n");

        JsonNode run = new ObjectMapper().readTree(entries.get("run.json"));
        assertThat(run.get("id").asLong()).isEqualTo(id);
        assertThat(run.get("plugin").asText()).isEqualTo("probe-edit");
        assertThat(run.get("kind").asText()).isEqualTo("rome");
        assertThat(run.get("title").asText()).isEqualTo("Edit Eiffel Tower");
        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.get("modelRef").asText()).isEqualTo("gpt2");
        assertThat(run.get("durationMillis").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(run.get("parameters").isObject()).isTrue();
        assertThat(run.get("parameters").get("layer").asInt()).isEqualTo(5);
        assertThat(run.get("parameters").get("lr").asDouble()).isEqualTo(0.5);
        assertThat(run.at("/metrics/loss/step").toString()).isEqualTo("[0,1]");
        assertThat(run.at("/metrics/loss/value").toString()).isEqualTo("[2.5,1.25]");
        assertThat(run.at("/metrics/efficacy/value/0").asText()).isEqualTo("NaN");
        assertThat(run.at("/traces/0/seq").asLong()).isEqualTo(1);
        assertThat(run.at("/traces/0/kind").asText()).isEqualTo("step");
        assertThat(run.at("/traces/0/data/delta").toString()).isEqualTo("[0.1,0.2]");
        assertThat(run.at("/artifacts/0/path").asText()).isEqualTo("artifacts/effects.csv");
        // no temporaries left beside the bundle
        try (var files = Files.list(zip.getParent())) {
            assertThat(files).containsExactly(zip);
        }
    }

    @Test
    void bundleOfAMissingRunIsRefusedAndWritesNothing() {
        assertThatThrownBy(() -> store.exportBundle(77, dir.resolve("b.zip"))).hasMessageContaining("no run 77");
        assertThat(dir.resolve("b.zip")).doesNotExist();
    }

    @Test
    void deleteRemovesRowsAndFiles() throws IOException {
        long keep = store.startRun("p", "k", "keep", "{}", null);
        long gone = store.startRun("p", "k", "gone", "{}", null);
        for (long id : new long[] {keep, gone}) {
            store.metric(id, "loss", 0, 1.0);
            store.trace(id, "step", "{}");
            store.addArtifact(id, "a.txt", Files.writeString(dir.resolve("a" + id), "x"));
            store.finishRun(id, RunStatus.SUCCEEDED, null);
        }
        Path goneFiles = dir.resolve("artifacts").resolve(Long.toString(gone));
        assertThat(goneFiles).isDirectory();

        store.delete(gone);

        assertThat(store.get(gone)).isEmpty();
        assertThat(store.metrics(gone)).isEmpty();
        assertThat(store.traces(gone)).isEmpty();
        assertThat(store.artifacts(gone)).isEmpty();
        assertThat(goneFiles).doesNotExist();
        assertThat(store.metrics(keep)).hasSize(1);
        assertThat(store.artifacts(keep)).hasSize(1);
        assertThat(dir.resolve("artifacts").resolve(Long.toString(keep)).resolve("a.txt")).exists();
        assertThatThrownBy(() -> store.delete(gone)).hasMessageContaining("no run " + gone);
        // ids are never reused, so an old bundle's id can't point at a new run
        assertThat(store.startRun("p", "k", "new", "{}", null)).isGreaterThan(gone);
    }

    @Test
    void aRunStillRunningInThisProcessCannotBeDeleted() {
        long id = store.startRun("p", "k", "t", "{}", null);
        assertThatThrownBy(() -> store.delete(id)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("still running");
    }

    @Test
    void orphansOfDeadProcessesOnThisHostBecomeInterrupted() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-version").redirectErrorStream(true).start();
        child.getInputStream().readAllBytes();
        child.waitFor();
        long deadPid = child.pid();

        String here = SqliteRunStore.thisHost();
        long dead = store.startRun("p", "k", "dead", "{}", null, deadPid, here);
        long mine = store.startRun("p", "k", "mine", "{}", null);
        long elsewhere = store.startRun("p", "k", "elsewhere", "{}", null, deadPid, "another-machine");
        long finished = store.startRun("p", "k", "finished", "{}", null, deadPid, here);
        store.finishRun(finished, RunStatus.SUCCEEDED, null);

        assertThat(store.markOrphansInterrupted()).isEqualTo(1);

        RunRecord d = store.get(dead).orElseThrow();
        assertThat(d.status()).isEqualTo(RunStatus.INTERRUPTED);
        assertThat(d.message()).contains("pid " + deadPid).contains("ended without finishing");
        assertThat(store.get(mine).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(store.get(elsewhere).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(store.get(finished).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(store.markOrphansInterrupted()).isZero();
        // an interrupted run can be deleted
        store.delete(dead);
    }

    @Test
    void aReusedPidDoesNotKeepARunAlive() throws Exception {
        // a live process that started after the run cannot be the one that wrote it
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            long id = store.startRun("p", "k", "t", "{}", null, sleeper.pid(), SqliteRunStore.thisHost());
            // pretend the run started an hour before this process
            try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store.databaseFile());
                 var ps = c.prepareStatement("UPDATE runs SET started_at = started_at - 3600000 WHERE id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            assertThat(store.markOrphansInterrupted()).isEqualTo(1);
            assertThat(store.get(id).orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void reopeningKeepsEverythingAndTheDatabaseIsInWalMode() throws Exception {
        long id = store.startRun("p", "k", "t", "{\"a\":1}", null);
        store.metric(id, "loss", 7, 0.5);
        store.finishRun(id, RunStatus.SUCCEEDED, "ok");
        store.close();
        store.close(); // twice is fine
        assertThatThrownBy(() -> store.get(id)).hasMessageContaining("closed");

        store = SqliteRunStore.open(dir);
        assertThat(store.get(id).orElseThrow().message()).isEqualTo("ok");
        assertThat(store.metrics(id)).containsExactly(new MetricPoint("loss", 7, 0.5));
        assertThat(store.schemaVersion()).isEqualTo(SchemaMigrations.standard().latestVersion());
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store.databaseFile());
             var rs = c.createStatement().executeQuery("PRAGMA journal_mode")) {
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void concurrentWritersFromManyThreadsLoseNothing() throws Exception {
        int threads = 4;
        int points = 500;
        long[] ids = new long[threads];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ids[t] = store.startRun("p", "k", "t" + t, "{}", null);
            long id = ids[t];
            workers[t] = new Thread(() -> {
                for (int s = 0; s < points; s++) {
                    store.metric(id, "loss", s, s);
                    if (s % 100 == 0) store.trace(id, "step", "{\"s\":" + s + "}");
                }
                store.finishRun(id, RunStatus.SUCCEEDED, null);
            });
            workers[t].start();
        }
        for (Thread w : workers) w.join();
        for (long id : ids) {
            assertThat(store.metrics(id)).hasSize(points);
            assertThat(store.traces(id)).extracting(TraceEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }

    static Map<String, byte[]> unzip(Path zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                z.transferTo(b);
                out.put(e.getName(), b.toByteArray());
            }
        }
        return out;
    }
}
