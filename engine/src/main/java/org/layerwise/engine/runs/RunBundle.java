package org.layerwise.engine.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A run as one portable zip: {@code run.json} (every field, parameters as a JSON object, metrics grouped by
 * name as columns {@code {"step": [...], "value": [...]}}, trace events with their JSON as objects, the
 * artifact list), {@code metrics.csv} (name,step,value — ready for a plotting script) and
 * {@code artifacts/<name>} (the files, or every file of an artifact directory).
 */
final class RunBundle {
    static final String RUN_JSON = "run.json";
    static final String METRICS_CSV = "metrics.csv";
    static final String ARTIFACTS = "artifacts/";
    static final int FORMAT_VERSION = 1;

    private final RunRecord run;
    private final long pid;
    private final String host;
    private final List<MetricPoint> metrics;
    private final List<TraceEvent> traces;
    private final List<ArtifactRecord> artifacts;
    private final Path dataDir;

    RunBundle(RunRecord run, long pid, String host, List<MetricPoint> metrics, List<TraceEvent> traces,
              List<ArtifactRecord> artifacts, Path dataDir) {
        this.run = run;
        this.pid = pid;
        this.host = host;
        this.metrics = metrics;
        this.traces = traces;
        this.artifacts = artifacts;
        this.dataDir = dataDir;
    }

    void writeZip(OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
            zip.putNextEntry(new ZipEntry(RUN_JSON));
            zip.write(SqliteRunStore.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(runJson()));
            zip.closeEntry();

            zip.putNextEntry(new ZipEntry(METRICS_CSV));
            PrintWriter csv = new PrintWriter(new OutputStreamWriter(zip, StandardCharsets.UTF_8));
            csv.print("name,step,value\n");
            for (MetricPoint p : metrics) csv.print(csvField(p.name()) + "," + p.step() + "," + p.value() + "\n");
            csv.flush();
            zip.closeEntry();

            for (ArtifactRecord a : artifacts) writeArtifact(zip, a);
        }
    }

    ObjectNode runJson() {
        ObjectNode root = SqliteRunStore.JSON.createObjectNode();
        root.put("format", "layerwise-run-bundle");
        root.put("formatVersion", FORMAT_VERSION);
        root.put("id", run.id());
        root.put("plugin", run.plugin());
        root.put("kind", run.kind());
        root.put("title", run.title());
        root.put("status", run.status().name());
        root.put("message", run.message());
        root.put("modelRef", run.modelRef());
        root.put("startedAt", run.startedAt().toString());
        root.put("endedAt", run.endedAt() == null ? null : run.endedAt().toString());
        if (run.endedAt() == null) root.putNull("durationMillis");
        else root.put("durationMillis", run.endedAt().toEpochMilli() - run.startedAt().toEpochMilli());
        root.put("pid", pid);
        root.put("host", host);
        root.set("parameters", parse(run.parametersJson()));

        Map<String, ArrayNode[]> series = new LinkedHashMap<>();
        for (MetricPoint p : metrics) {
            ArrayNode[] columns = series.computeIfAbsent(p.name(),
                    n -> new ArrayNode[] {root.arrayNode(), root.arrayNode()});
            columns[0].add(p.step());
            columns[1].add(p.value()); // NaN and ±Infinity are written as strings, which stays valid JSON
        }
        ObjectNode metricsNode = root.putObject("metrics");
        series.forEach((name, columns) -> {
            ObjectNode s = metricsNode.putObject(name);
            s.set("step", columns[0]);
            s.set("value", columns[1]);
        });

        ArrayNode traceNode = root.putArray("traces");
        for (TraceEvent t : traces) {
            ObjectNode e = traceNode.addObject();
            e.put("seq", t.seq());
            e.put("kind", t.kind());
            e.put("at", t.at().toString());
            e.set("data", parse(t.json()));
        }

        ArrayNode artifactNode = root.putArray("artifacts");
        for (ArtifactRecord a : artifacts) {
            ObjectNode e = artifactNode.addObject();
            e.put("name", a.name());
            e.put("path", ARTIFACTS + a.name());
            e.put("bytes", a.bytes());
        }
        return root;
    }

    private void writeArtifact(ZipOutputStream zip, ArtifactRecord a) throws IOException {
        Path file = dataDir.resolve(a.relativePath());
        if (!Files.exists(file)) {
            throw new IOException("artifact '" + a.name() + "' of run " + a.runId() + " is missing: " + file
                    + " was deleted outside Layerwise; restore it or delete the run");
        }
        if (!Files.isDirectory(file)) {
            zip.putNextEntry(new ZipEntry(ARTIFACTS + a.name()));
            Files.copy(file, zip);
            zip.closeEntry();
            return;
        }
        try (Stream<Path> tree = Files.walk(file)) {
            for (Path f : (Iterable<Path>) tree.filter(Files::isRegularFile).sorted()::iterator) {
                String inside = file.relativize(f).toString().replace('\\', '/');
                zip.putNextEntry(new ZipEntry(ARTIFACTS + a.name() + "/" + inside));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static JsonNode parse(String json) {
        try {
            return SqliteRunStore.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            // written before validation existed or by hand: keep the text rather than fail the export
            return SqliteRunStore.JSON.getNodeFactory().textNode(json);
        }
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
