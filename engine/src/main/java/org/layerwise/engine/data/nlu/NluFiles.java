package org.layerwise.engine.data.nlu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes NLU data sets. The NLURC layout: one folder per task holding {@code train.jsonl},
 * {@code dev.jsonl}, {@code test.jsonl} with records {@code {id, text_a, text_b, text_c, label}} and
 * {@code rationales.jsonl} with {@code {id, rationale}}. Plain JSONL is read too: a line with {@code input} (or
 * {@code question}/{@code text}), {@code label} (or {@code answer}/{@code target}), optional {@code options} (list
 * or " | " string) and optional {@code rationale}.
 */
public final class NluFiles {
    public static final String RATIONALES = "rationales.jsonl";
    private static final JsonMapper JSON = new JsonMapper();

    private NluFiles() {}

    /**
     * The records of one split file; the task is the folder's name (NLURC layout) or the file's name without
     * extension, and rationales come from {@code rationales.jsonl} beside the file when there is one.
     */
    public static List<NluRecord> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("NLU data file " + file + " does not exist");
        Path rationaleFile = file.resolveSibling(RATIONALES);
        Map<String, String> rationales = Files.isRegularFile(rationaleFile) ? readRationales(rationaleFile) : Map.of();
        String fileName = file.getFileName().toString().replaceFirst("\\.jsonl?$", "");
        String task = List.of("train", "dev", "test", "validation").contains(fileName) && file.getParent() != null
                ? file.getParent().getFileName().toString() : fileName;
        List<NluRecord> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            JsonNode n;
            try {
                n = JSON.readTree(lines.get(i));
            } catch (IOException e) {
                throw new IOException(file + " line " + (i + 1) + " is not JSON: " + e.getMessage(), e);
            }
            out.add(record(n, task, rationales, file, i + 1));
        }
        return out;
    }

    private static NluRecord record(JsonNode n, String task, Map<String, String> rationales, Path file, int line)
            throws IOException {
        String id = n.hasNonNull("id") ? n.get("id").asText() : task + "-" + line;
        String label = first(n, "label", "answer", "target");
        if (label == null)
            throw new IOException(file + " line " + line + " (id " + id + ") has no label: give a \"label\" field");
        String textA = n.has("text_a") ? n.get("text_a").asText() : first(n, "input", "question", "text");
        if (textA == null)
            throw new IOException(file + " line " + line + " (id " + id + ") has no text: give \"text_a\" or \"input\"");
        String textC = n.has("text_c") ? n.get("text_c").asText() : null;
        JsonNode options = n.get("options");
        if (textC == null && options != null) {
            if (options.isArray()) {
                List<String> o = new ArrayList<>();
                options.forEach(x -> o.add(x.asText()));
                textC = String.join(" | ", o);
            } else textC = options.asText();
        }
        String rationale = n.hasNonNull("rationale") ? n.get("rationale").asText() : rationales.getOrDefault(id, "");
        String t = n.hasNonNull("task") ? n.get("task").asText() : task;
        return new NluRecord(id, t, textA, n.path("text_b").asText(""), textC, label, rationale);
    }

    private static String first(JsonNode n, String... keys) {
        for (String k : keys) if (n.hasNonNull(k)) return n.get(k).asText();
        return null;
    }

    public static Map<String, String> readRationales(Path file) throws IOException {
        Map<String, String> out = new HashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            JsonNode n = JSON.readTree(lines.get(i));
            if (!n.hasNonNull("id") || !n.hasNonNull("rationale"))
                throw new IOException(file + " line " + (i + 1) + " needs \"id\" and \"rationale\"");
            out.put(n.get("id").asText(), n.get("rationale").asText());
        }
        return out;
    }

    /** Writes records in the NLURC format (no rationale, no task field). */
    public static void writeRecords(Path file, List<NluRecord> records) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (NluRecord r : records) {
            ObjectNode o = JSON.createObjectNode();
            o.put("id", r.id()).put("text_a", r.textA()).put("text_b", r.textB()).put("text_c", r.textC()).put("label", r.label());
            sb.append(JSON.writeValueAsString(o)).append('\n');
        }
        AtomicFiles.writeBytes(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static void writeRationales(Path file, List<NluRecord> records) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (NluRecord r : records) {
            ObjectNode o = JSON.createObjectNode();
            o.put("id", r.id()).put("rationale", r.rationale());
            sb.append(JSON.writeValueAsString(o)).append('\n');
        }
        AtomicFiles.writeBytes(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The split files of an NLURC corpus folder: {@code <task>/<split>.jsonl} for every task that has that split. */
    public static List<Path> splitFiles(Path corpus, String split) throws IOException {
        List<Path> out = new ArrayList<>();
        try (var dirs = Files.list(corpus)) {
            for (Path d : dirs.sorted().toList()) {
                Path f = d.resolve(split + ".jsonl");
                if (Files.isRegularFile(f)) out.add(f);
            }
        }
        return out;
    }
}
