package org.layerwise.app.cli;

import org.layerwise.sdk.cli.CliSupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.runs.ArtifactRecord;
import org.layerwise.engine.runs.MetricPoint;
import org.layerwise.engine.runs.RunQuery;
import org.layerwise.engine.runs.RunRecord;
import org.layerwise.engine.runs.RunStatus;
import org.layerwise.engine.runs.SqliteRunStore;
import org.layerwise.engine.runs.TraceEvent;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code layerwise runs list|show|export|delete}: the run store from the command line. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List, inspect, export, draw and delete recorded runs.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.ShowRun.class, RunsCommand.ExportRun.class,
                RunsCommand.DeleteRuns.class, RunFigureCommand.class})
public final class RunsCommand implements Runnable {
    static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List runs, newest first: id, status, plugin, kind, title, model, start time, duration.")
    static final class ListRuns implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CliSupport cli;

        @Option(names = "--plugin", paramLabel = "ID", description = "Only runs of this plugin (e.g. playground).")
        String plugin;

        @Option(names = "--status", paramLabel = "STATUS", converter = StatusConverter.class,
                description = "Only runs with this status: running, succeeded, failed, cancelled, interrupted.")
        RunStatus status;

        @Option(names = "--text", paramLabel = "TEXT", description = "Only runs whose title, kind, plugin or model contains TEXT.")
        String text;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
                description = "At most N runs (default: ${DEFAULT-VALUE}; 0 = all).")
        int limit;

        @Option(names = "--json", description = "Print the runs as a JSON array (parameters as objects).")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return CliSupport.reportingErrors(spec, () -> {
                PrintWriter out = spec.commandLine().getOut();
                try (SqliteRunStore store = cli.openRunStore()) {
                    List<RunRecord> runs = store.list(new RunQuery(plugin, status, text, Math.max(0, limit)));
                    if (json) {
                        ArrayNode array = JSON.createArrayNode();
                        for (RunRecord r : runs) array.add(runJson(r));
                        out.println(JSON.writeValueAsString(array));
                    } else if (runs.isEmpty()) {
                        out.println("No runs" + (plugin != null || status != null || text != null ? " match" : "")
                                + " in " + store.databaseFile() + ".");
                    } else {
                        printTable(out, runs);
                    }
                }
                out.flush();
                return 0;
            });
        }

        private static void printTable(PrintWriter out, List<RunRecord> runs) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "STATUS", "PLUGIN", "KIND", "TITLE", "MODEL", "STARTED", "DURATION"});
            Instant now = Instant.now();
            for (RunRecord r : runs) {
                rows.add(new String[] {Long.toString(r.id()), r.status().name(), r.plugin(), r.kind(),
                        clip(r.title(), 40, false), clip(r.modelRef(), 28, true), STARTED.format(r.startedAt()),
                        duration(r, now)});
            }
            int[] widths = new int[rows.get(0).length];
            for (String[] row : rows) {
                for (int c = 0; c < row.length; c++) widths[c] = Math.max(widths[c], row[c].length());
            }
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int c = 0; c < row.length; c++) {
                    if (c > 0) line.append("  ");
                    line.append(c == row.length - 1 ? row[c] : pad(row[c], widths[c]));
                }
                out.println(line.toString().stripTrailing());
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one run: status, parameters, metric series, artifacts and trace events.")
    static final class ShowRun implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CliSupport cli;

        @Parameters(index = "0", paramLabel = "ID", description = "The run id (see `layerwise runs list`).")
        long id;

        @Override
        public Integer call() throws Exception {
            return CliSupport.reportingErrors(spec, () -> {
                PrintWriter out = spec.commandLine().getOut();
                try (SqliteRunStore store = cli.openRunStore()) {
                    RunRecord r = store.get(id).orElseThrow(() -> new IllegalArgumentException(
                            "there is no run " + id + " in " + store.databaseFile() + "; see `layerwise runs list`"));
                    out.println("Run " + r.id() + "  " + r.status());
                    field(out, "plugin", r.plugin());
                    field(out, "kind", r.kind());
                    field(out, "title", r.title());
                    field(out, "model", r.modelRef());
                    field(out, "started", STARTED.format(r.startedAt()));
                    field(out, "ended", r.endedAt() == null ? null
                            : STARTED.format(r.endedAt()) + "  (" + duration(r, Instant.now()) + ")");
                    field(out, "message", r.message());
                    field(out, "process", store.owner(id).orElse(null));

                    out.println();
                    out.println("Parameters");
                    JsonNode parameters = JSON.readTree(r.parametersJson());
                    if (parameters.isEmpty()) out.println("  (none)");
                    int keyWidth = 0;
                    for (Iterator<String> it = parameters.fieldNames(); it.hasNext(); ) {
                        keyWidth = Math.max(keyWidth, it.next().length());
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> it = parameters.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        JsonNode v = e.getValue();
                        out.println("  " + pad(e.getKey(), keyWidth) + "  " + (v.isTextual() ? v.asText() : v.toString()));
                    }

                    out.println();
                    Map<String, List<MetricPoint>> series = new LinkedHashMap<>();
                    for (MetricPoint p : store.metrics(id)) series.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(p);
                    out.println("Metrics (" + series.size() + " series)");
                    if (series.isEmpty()) out.println("  (none)");
                    int nameWidth = series.keySet().stream().mapToInt(String::length).max().orElse(0);
                    for (Map.Entry<String, List<MetricPoint>> e : series.entrySet()) {
                        List<MetricPoint> points = e.getValue();
                        MetricPoint last = points.get(points.size() - 1);
                        out.println("  " + pad(e.getKey(), nameWidth) + "  " + points.size() + " points, last "
                                + number(last.value()) + " at step " + last.step());
                    }

                    out.println();
                    List<ArtifactRecord> artifacts = store.artifacts(id);
                    out.println("Artifacts (" + artifacts.size() + ")");
                    if (artifacts.isEmpty()) out.println("  (none)");
                    for (ArtifactRecord a : artifacts) {
                        out.println("  " + a.name() + "  " + bytes(a.bytes()) + "  "
                                + store.dataDir().resolve(a.relativePath()));
                    }

                    out.println();
                    List<TraceEvent> traces = store.traces(id);
                    Map<String, Integer> kinds = new LinkedHashMap<>();
                    for (TraceEvent t : traces) kinds.merge(t.kind(), 1, Integer::sum);
                    StringBuilder byKind = new StringBuilder();
                    kinds.forEach((k, n) -> byKind.append(byKind.length() == 0 ? " (" : ", ").append(k).append(" ").append(n));
                    if (byKind.length() > 0) byKind.append(")");
                    out.println("Trace events: " + traces.size() + byKind);
                }
                out.flush();
                return 0;
            });
        }

        private static void field(PrintWriter out, String name, String value) {
            if (value != null && !value.isBlank()) out.println("  " + pad(name + ":", 9) + " " + value);
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a run as a zip bundle: run.json (parameters, status, metrics, traces), "
                    + "metrics.csv and the artifacts.")
    static final class ExportRun implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CliSupport cli;

        @Parameters(index = "0", paramLabel = "ID", description = "The run id (see `layerwise runs list`).")
        long id;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE.zip",
                description = "Where to write the bundle (default: run-<ID>.zip in the current directory).")
        Path out;

        @Override
        public Integer call() throws Exception {
            return CliSupport.reportingErrors(spec, () -> {
                Path target = (out != null ? out : Path.of("run-" + id + ".zip")).toAbsolutePath();
                try (SqliteRunStore store = cli.openRunStore()) {
                    store.exportBundle(id, target);
                }
                PrintWriter w = spec.commandLine().getOut();
                w.println("Exported run " + id + " to " + target + " (" + bytes(Files.size(target)) + ").");
                w.flush();
                return 0;
            });
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete runs: their rows, metrics, traces and artifact files. Cannot be undone.")
    static final class DeleteRuns implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin CliSupport cli;

        @Parameters(arity = "1..*", paramLabel = "ID", description = "The run ids (see `layerwise runs list`).")
        List<Long> ids;

        @Override
        public Integer call() throws Exception {
            return CliSupport.reportingErrors(spec, () -> {
                PrintWriter out = spec.commandLine().getOut();
                PrintWriter err = spec.commandLine().getErr();
                int failures = 0;
                try (SqliteRunStore store = cli.openRunStore()) {
                    for (long id : ids) {
                        try {
                            store.delete(id);
                            out.println("Deleted run " + id + ".");
                        } catch (IllegalArgumentException | IllegalStateException e) {
                            err.println(spec.qualifiedName() + ": " + e.getMessage());
                            failures++;
                        }
                    }
                }
                out.flush();
                err.flush();
                return failures == 0 ? 0 : 1;
            });
        }
    }

    /** Accepts statuses in any case ({@code failed}, {@code FAILED}). */
    static final class StatusConverter implements CommandLine.ITypeConverter<RunStatus> {
        @Override
        public RunStatus convert(String value) {
            try {
                return RunStatus.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a run status; use one of "
                        + java.util.Arrays.toString(RunStatus.values()).toLowerCase(Locale.ROOT));
            }
        }
    }

    // ------------------------------------------------------------------ formatting

    static ObjectNode runJson(RunRecord r) throws JsonProcessingException {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", r.id());
        n.put("status", r.status().name());
        n.put("plugin", r.plugin());
        n.put("kind", r.kind());
        n.put("title", r.title());
        n.put("modelRef", r.modelRef());
        n.put("message", r.message());
        n.put("startedAt", r.startedAt().toString());
        n.put("endedAt", r.endedAt() == null ? null : r.endedAt().toString());
        if (r.endedAt() == null) n.putNull("durationMillis");
        else n.put("durationMillis", Duration.between(r.startedAt(), r.endedAt()).toMillis());
        n.set("parameters", JSON.readTree(r.parametersJson()));
        return n;
    }

    static String duration(RunRecord r, Instant now) {
        if (r.endedAt() != null) return human(Duration.between(r.startedAt(), r.endedAt()));
        if (r.status() == RunStatus.RUNNING) return human(Duration.between(r.startedAt(), now)) + " so far";
        return "-"; // interrupted: when it stopped is unknown
    }

    static String human(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 60_000) return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        long s = ms / 1000;
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60);
    }

    static String bytes(long n) {
        if (n < 1024) return n + " B";
        if (n < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KB", n / 1024.0);
        if (n < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024));
        return String.format(Locale.ROOT, "%.2f GB", n / (1024.0 * 1024 * 1024));
    }

    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return Double.toString(v);
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** Shortens for a table column; paths keep their end (the model's folder name), titles their start. */
    static String clip(String s, int max, boolean keepEnd) {
        if (s == null || s.isEmpty()) return "-";
        if (s.length() <= max) return s;
        return keepEnd ? "..." + s.substring(s.length() - (max - 3)) : s.substring(0, max - 3) + "...";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
