package org.layerwise.flatness.cli;

import org.layerwise.flatness.Blobs;
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

import static org.assertj.core.api.Assertions.assertThat;

/** continual and landscape write recorded runs and print what they found. */
class FlatnessCommandsTest {
    @TempDir Path dir;

    private record Result(int code, String out, String err) {}

    private Result run(Object command, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void continualComparesMethodsOverSeedsAndLandscapeExportsFigures() throws Exception {
        Path seq = Blobs.write(dir, 2, 20);
        Path data = dir.resolve("data");
        Result r = run(new ContinualCommand(), "--sequence", seq.toString(), "--method", "seq,ewc", "--seeds", "2",
                "--set", "epochs=1", "--data-dir", data.toString(), "--table", dir.resolve("t.md").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| seq |").contains("| ewc |").contains(" ± ");
        assertThat(Files.readString(dir.resolve("t.md"))).contains("| ewc |");

        Path figures = dir.resolve("fig");
        Result l = run(new LandscapeCommand(), "--sequence", seq.toString(), "--method", "cf", "--grid", "5", "--set", "epochs=1",
                "--data-dir", data.toString(), "--out", figures.toString());
        assertThat(l.code()).as(l.err()).isZero();
        assertThat(l.out()).contains("5×5 landscape").contains("λ_max");
        assertThat(figures.resolve("landscape-contour.png")).exists();
        assertThat(figures.resolve("landscape-heatmap.csv")).exists();
        try (SqliteRunStore store = SqliteRunStore.open(data)) {
            List<RunRecord> runs = store.list(RunQuery.all());
            assertThat(runs).hasSize(2).allMatch(x -> x.plugin().equals("flatness") && x.status() == RunStatus.SUCCEEDED);
            RunRecord landscape = runs.stream().filter(x -> x.kind().equals("landscape")).findFirst().orElseThrow();
            assertThat(store.metrics(landscape.id())).anyMatch(m -> m.name().equals("top_eigenvalue"));
            assertThat(store.artifacts(landscape.id())).hasSizeGreaterThanOrEqualTo(10);
        }

        Result bad = run(new ContinualCommand(), "--sequence", seq.toString(), "--method", "sgd", "--data-dir", data.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("unknown method 'sgd'");
    }
}
