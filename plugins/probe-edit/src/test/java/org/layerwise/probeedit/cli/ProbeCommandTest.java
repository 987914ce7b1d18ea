package org.layerwise.probeedit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerwise.engine.runs.RunQuery;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.SqliteRunStore;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ProbeCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private static Path repo() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(p.resolve("sample-data"))) p = p.getParent();
        return p;
    }

    private int run(String... args) {
        CommandLine cl = new CommandLine(new ProbeCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test void probesOneFactAndADataSetAsRecordedRuns(@TempDir Path dir) throws Exception {
        String model = repo().resolve("sample-data/models/facts-llama").toString();
        String data = dir.resolve("data").toString();
        assertEquals(0, run("--model", model, "--prompt", "The capital of {} is", "--subject", "France", "--original", "Paris",
                "--target", "Berlin", "--out", dir.resolve("probe.png").toString(), "--data-dir", data, "--device", "cpu",
                "--position", "1", "--heatmap-word", "Rome", "--heatmap-out", dir.resolve("heat.csv").toString()), err.toString());
        assertTrue(Files.readString(dir.resolve("heat.csv")).startsWith("x,y,z"));
        assertTrue(out.toString().contains("proposed regions: low"), out.toString());
        assertTrue(Files.size(dir.resolve("probe.png")) > 1000);
        assertEquals(0, run("--model", model, "--dataset", repo().resolve("sample-data/world/heldout_counterfact.json").toString(),
                "--limit", "5", "--no-final-norm", "--after", "attn", "--out", dir.resolve("means.csv").toString(),
                "--data-dir", data, "--device", "cpu"), err.toString());
        assertTrue(out.toString().contains("5 facts probed"), out.toString());
        assertTrue(Files.readString(dir.resolve("means.csv")).contains("original prob"));
        try (SqliteRunStore store = SqliteRunStore.open(dir.resolve("data"))) {
            List<RunRecord> runs = store.list(RunQuery.all());
            assertEquals(2, runs.size());
            for (RunRecord r : runs) {
                assertEquals(RunStatus.SUCCEEDED, r.status());
                assertFalse(store.metrics(r.id()).isEmpty());
                assertFalse(store.artifacts(r.id()).isEmpty());
            }
        }
    }

    @Test void badInputIsOneLine(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"prompt\":\"The capital of {} is\",\"subject\":\"France\",\"target_true\":\"Paris\"}\n");
        assertEquals(1, run("--model", repo().resolve("sample-data/models/facts-llama").toString(), "--dataset", bad.toString(),
                "--data-dir", dir.resolve("data").toString()));
        assertTrue(err.toString().startsWith("probe: ") && err.toString().contains("line 1: field 'target_new'"), err.toString());
        assertEquals(1, run("--model", "x", "--dataset", bad.toString(), "--after", "middle"));
        assertTrue(err.toString().contains("--after must be attn or mlp"), err.toString());
    }
}
