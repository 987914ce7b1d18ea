package org.layerwise.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.SqliteRunStore;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class RunsCommandTest {
    @TempDir Path tmp;
    Path data;
    long generate;
    long train;
    long orphan;

    CliRun layerwise(String... args) {
        return CliRun.of(args);
    }

    CliRun runs(String sub, String... args) {
        List<String> all = new ArrayList<>(List.of("runs", sub, "--data-dir", data.toString()));
        all.addAll(List.of(args));
        return layerwise(all.toArray(String[]::new));
    }

    @BeforeEach
    void recordSomeRuns() throws Exception {
        data = tmp.resolve("data");
        try (SqliteRunStore store = SqliteRunStore.open(data)) {
            generate = store.startRun("playground", "generate", "The Eiffel Tower is in",
                    "{\"maxTokens\":20,\"temperature\":0.7,\"sampler\":\"top-k\"}", "/models/gpt2-small");
            for (int s = 0; s < 3; s++) store.metric(generate, "loss", s, 1.0 / (1 << s));
            store.metric(generate, "tokens_per_s", 0, 812.5);
            store.trace(generate, "candidate", "{\"text\":\"Paris\"}");
            store.trace(generate, "candidate", "{\"text\":\"Rome\"}");
            store.addArtifact(generate, "completion.txt", Files.writeString(tmp.resolve("c.txt"), "Paris, France"));
            store.finishRun(generate, RunStatus.SUCCEEDED, null);

            train = store.startRun("flatness", "train", "C&F split MNIST", "{\"lr\":0.01}", "tiny-mlp");
            store.finishRun(train, RunStatus.FAILED, "IllegalStateException: loss is NaN at step 40");

            orphan = store.startRun("flatness", "hessian", "top eigenvalue", "{}", "tiny-mlp");
        }
        // make the last run look like it belonged to a process that died (kill -9) on this machine
        Process dead = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).start();
        dead.getInputStream().readAllBytes();
        dead.waitFor();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(SqliteRunStore.DATABASE_FILE));
             PreparedStatement ps = c.prepareStatement("UPDATE runs SET pid = ? WHERE id = ?")) {
            ps.setLong(1, dead.pid());
            ps.setLong(2, orphan);
            ps.executeUpdate();
        }
    }

    @Test
    void listPrintsATableNewestFirstAndMarksOrphansInterrupted() {
        CliRun r = runs("list");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.lines();
        assertThat(lines.get(0)).matches("ID +STATUS +PLUGIN +KIND +TITLE +MODEL +STARTED +DURATION");
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).startsWith(orphan + " ").contains("INTERRUPTED", "flatness", "hessian",
                "top eigenvalue", "tiny-mlp").endsWith("  -");
        assertThat(lines.get(2)).startsWith(train + " ").contains("FAILED", "C&F split MNIST");
        assertThat(lines.get(3)).startsWith(generate + " ").contains("SUCCEEDED", "playground", "generate",
                "The Eiffel Tower is in", "/models/gpt2-small").matches(".*\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +\\d+\\.\\ds$");
        // columns line up: STATUS starts at the same offset in every row
        int statusColumn = lines.get(0).indexOf("STATUS");
        for (String line : lines.subList(1, 4)) assertThat(line.charAt(statusColumn - 1)).isEqualTo(' ');
        assertThat(lines.get(1).substring(statusColumn)).startsWith("INTERRUPTED");
    }

    @Test
    void listFilters() {
        assertThat(runs("list", "--plugin", "playground").lines()).hasSize(2);
        CliRun failed = runs("list", "--status", "failed");
        assertThat(failed.lines()).hasSize(2);
        assertThat(failed.lines().get(1)).startsWith(train + " ");
        assertThat(runs("list", "--limit", "1").lines()).hasSize(2);
        assertThat(runs("list", "--text", "eiffel").lines().get(1)).startsWith(generate + " ");
        CliRun none = runs("list", "--status", "running");
        assertThat(none.out()).startsWith("No runs match in ").contains("runs.db");
        CliRun bad = runs("list", "--status", "exploded");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("'exploded' is not a run status");
    }

    @Test
    void listAsJson() throws Exception {
        CliRun r = runs("list", "--json");
        assertThat(r.exit()).isZero();
        JsonNode runs = new ObjectMapper().readTree(r.out());
        assertThat(runs.size()).isEqualTo(3);
        JsonNode g = runs.get(2);
        assertThat(g.get("id").asLong()).isEqualTo(generate);
        assertThat(g.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(g.get("modelRef").asText()).isEqualTo("/models/gpt2-small");
        assertThat(g.at("/parameters/temperature").asDouble()).isEqualTo(0.7);
        assertThat(g.get("durationMillis").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(runs.get(0).get("status").asText()).isEqualTo("INTERRUPTED");
        assertThat(runs.get(0).get("durationMillis").isNull()).isTrue();
    }

    @Test
    void showPrintsParametersMetricsArtifactsAndTraces() {
        CliRun r = runs("show", Long.toString(generate));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("Run " + generate + "  SUCCEEDED")
                .contains("plugin:   playground")
                .contains("model:    /models/gpt2-small")
                .contains("maxTokens    20")
                .contains("sampler      top-k")
                .contains("temperature  0.7")
                .contains("Metrics (2 series)")
                .contains("loss          3 points, last 0.250000 at step 2")
                .contains("tokens_per_s  1 points, last 812.500 at step 0")
                .contains("Artifacts (1)")
                .contains("completion.txt  13 B  " + data.resolve("artifacts").resolve(Long.toString(generate))
                        .resolve("completion.txt"))
                .contains("Trace events: 2 (candidate 2)");

        CliRun failed = runs("show", Long.toString(train));
        assertThat(failed.out()).contains("message:  IllegalStateException: loss is NaN at step 40")
                .contains("Metrics (0 series)\n  (none)").contains("Trace events: 0");
    }

    @Test
    void showOfAMissingRunSaysWhatToDo() {
        CliRun r = runs("show", "999");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("runs show: there is no run 999 in").contains("layerwise runs list");
    }

    @Test
    void exportWritesABundle() throws Exception {
        Path zip = tmp.resolve("bundles/eiffel.zip");
        CliRun r = runs("export", Long.toString(generate), "--out", zip.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Exported run " + generate + " to " + zip);
        List<String> names = new ArrayList<>();
        JsonNode run = null;
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                names.add(e.getName());
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                z.transferTo(b);
                if (e.getName().equals("run.json")) run = new ObjectMapper().readTree(b.toByteArray());
            }
        }
        assertThat(names).containsExactly("run.json", "metrics.csv", "artifacts/completion.txt");
        assertThat(run.get("id").asLong()).isEqualTo(generate);
        assertThat(run.at("/metrics/loss/value").toString()).isEqualTo("[1.0,0.5,0.25]");

        CliRun missing = runs("export", "999", "--out", tmp.resolve("x.zip").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(tmp.resolve("x.zip")).doesNotExist();
    }

    @Test
    void deleteRemovesRunsAndTheirFiles() {
        Path files = data.resolve("artifacts").resolve(Long.toString(generate));
        assertThat(files).isDirectory();
        CliRun r = runs("delete", Long.toString(generate), Long.toString(train));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Deleted run " + generate + ".\nDeleted run " + train + ".\n");
        assertThat(files).doesNotExist();
        List<String> left = runs("list").lines();
        assertThat(left).hasSize(2);
        assertThat(left.get(1)).startsWith(orphan + " ");

        CliRun again = runs("delete", Long.toString(generate));
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("no run " + generate);
    }

    @Test
    void helpWorksForEveryRunsCommand() {
        CliRun root = layerwise("--help");
        assertThat(root.exit()).isZero();
        assertThat(root.out()).contains("runs");
        CliRun runsHelp = layerwise("runs", "--help");
        assertThat(runsHelp.out()).contains("list", "show", "export", "delete");
        for (String sub : List.of("list", "show", "export", "delete")) {
            CliRun h = layerwise("runs", sub, "--help");
            assertThat(h.exit()).isZero();
            assertThat(h.out()).contains("--data-dir");
        }
        assertThat(layerwise("runs").out()).contains("Usage: layerwise runs");
    }

    @Test
    void anEmptyStoreSaysSo() {
        CliRun r = layerwise("runs", "list", "--data-dir", tmp.resolve("empty").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("No runs in " + tmp.resolve("empty").resolve("runs.db"));
    }

    @Test
    void figureExportsTheRunsMetricCurvesAsSvgAndCsv() throws Exception {
        Path svg = tmp.resolve("loss.svg");
        CliRun r = runs("figure", String.valueOf(generate), "--metric", "loss", "--out", svg.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String text = Files.readString(svg);
        assertThat(text).startsWith("<?xml").contains("<text").contains("loss");
        var xml = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // offline
        xml.newDocumentBuilder().parse(svg.toFile());

        Path csv = tmp.resolve("loss.csv");
        assertThat(runs("figure", String.valueOf(generate), "-m", "loss", "-o", csv.toString()).exit()).isZero();
        assertThat(Files.readAllLines(csv)).containsExactly("series,x,y", "loss,0,1", "loss,1,0.5", "loss,2,0.25");
    }

    @Test
    void figureOfAMissingRunOrUnknownFormatSaysWhatToDo() {
        CliRun missing = runs("figure", "9999", "-o", tmp.resolve("x.pdf").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no run 9999").contains("runs list");
        CliRun format = runs("figure", String.valueOf(generate), "-o", tmp.resolve("x.gif").toString());
        assertThat(format.exit()).isEqualTo(1);
        assertThat(format.err()).contains("unknown figure format 'gif'");
        assertThat(tmp.resolve("x.pdf")).doesNotExist();
    }
}
