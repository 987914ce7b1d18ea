package org.layerwise.flatness.method;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * An ordered list of classification tasks, read from a sequence file (JSON; paths relative to it):
 * <pre>
 * {"name": "split-mnist", "format": "mnist-bin", "train": "split-mnist/train.bin.gz", "test": "split-mnist/test.bin.gz",
 *  "tasks": [{"name": "0/1", "labels": [0, 1]}, ...],
 *  "training": {"lr": 1e-3, "epochs": 1},            // backbone settings over the method preset (optional)
 *  "method_overrides": {"cf": {"lambda": 1e5}}}       // per-method settings (optional)
 * </pre>
 * Formats: {@code mnist-bin} (gzip records of 1 label byte + 784 pixel bytes), {@code jsonl} (each task has
 * {@code train} and {@code test} files of lines {"x": [floats], "label": "name"} or {"text": "...", "label": "name"}),
 * {@code tsv} (lines {@code label<TAB>text}). Text needs a tokenizer: pass one to {@link #load(Path, Function)}.
 */
public record TaskSequence(String name, List<TaskData> tasks, JsonNode training, JsonNode methodOverrides, boolean text, Path encoder) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public int totalClasses() { return tasks.stream().mapToInt(TaskData::classCount).sum(); }

    /** Loads a sequence; text tasks are tokenised with the tokenizer of the sequence's {@code encoder} folder. */
    public static TaskSequence load(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read the sequence file " + file + ": " + e.getMessage(), e);
        }
        if (!root.has("encoder")) return load(file, null);
        Path encoder = file.toAbsolutePath().getParent().resolve(root.get("encoder").asText()).normalize();
        try {
            org.layerwise.engine.tokenizer.HfTokenizer tok = org.layerwise.engine.tokenizer.HfTokenizer.load(encoder);
            return load(file, text -> tok.encode(text, false).ids());
        } catch (org.layerwise.engine.checkpoint.CheckpointException e) {
            throw new IOException("the sequence " + file + " names the encoder " + encoder + ", whose tokenizer cannot be read: " + e.getMessage(), e);
        }
    }

    /** @param tokenizer text → token ids, needed for text tasks (null for vector tasks) */
    public static TaskSequence load(Path file, Function<String, int[]> tokenizer) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read the sequence file " + file + ": " + e.getMessage(), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        String format = root.path("format").asText("jsonl");
        JsonNode tasks = root.path("tasks");
        if (!tasks.isArray() || tasks.isEmpty()) throw new IOException("the sequence file " + file + " has no \"tasks\" array");
        double validation = root.path("validation_fraction").asDouble(0.1);
        long splitSeed = root.path("split_seed").asLong(0);
        List<TaskData> out = new ArrayList<>();
        int offset = 0;
        boolean text = false;
        if (format.equals("mnist-bin")) {
            Split all = readMnist(dir.resolve(root.path("train").asText()));
            Split allTest = readMnist(dir.resolve(root.path("test").asText()));
            for (JsonNode t : tasks) {
                List<Integer> labels = new ArrayList<>();
                t.path("labels").forEach(x -> labels.add(x.asInt()));
                if (labels.isEmpty()) throw new IOException("task " + t.path("name").asText() + " in " + file + " has no \"labels\"");
                TaskData.Split train = all.restrict(labels), test = allTest.restrict(labels);
                TaskData.Split[] tv = split(train, validation, new Random(splitSeed + out.size()));
                out.add(new TaskData(t.path("name").asText("task " + out.size()), labels.stream().map(String::valueOf).toList(),
                        offset, tv[0], tv[1], test));
                offset += labels.size();
            }
        } else if (format.equals("jsonl") || format.equals("tsv")) {
            for (JsonNode t : tasks) {
                String name = t.path("name").asText("task " + out.size());
                Map<String, Integer> classes = new LinkedHashMap<>();
                t.path("labels").forEach(x -> classes.put(x.asText(), classes.size()));
                Rows train = readRows(dir.resolve(t.path("train").asText()), format, classes, t.has("labels"), tokenizer);
                Rows test = readRows(dir.resolve(t.path("test").asText()), format, classes, true, tokenizer);
                text |= train.split.tokens() != null;
                TaskData.Split[] tv = split(train.split, validation, new Random(splitSeed + out.size()));
                out.add(new TaskData(name, List.copyOf(classes.keySet()), offset, tv[0], tv[1], test.split));
                offset += classes.size();
            }
        } else {
            throw new IOException("the sequence file " + file + " has an unknown format '" + format + "' (mnist-bin, jsonl or tsv)");
        }
        Path encoder = root.has("encoder") ? dir.resolve(root.get("encoder").asText()).normalize() : null;
        if (text && encoder == null) throw new IOException("the sequence " + file + " holds text but names no \"encoder\" folder");
        return new TaskSequence(root.path("name").asText(file.getFileName().toString()), out,
                root.path("training"), root.path("method_overrides"), text, encoder);
    }

    /** A seeded split of a training set into train and validation parts. */
    private static TaskData.Split[] split(TaskData.Split s, double fraction, Random random) {
        int n = s.size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int x = perm[i]; perm[i] = perm[j]; perm[j] = x;
        }
        int v = (int) Math.round(n * fraction);
        int[] val = java.util.Arrays.copyOfRange(perm, 0, v), tr = java.util.Arrays.copyOfRange(perm, v, n);
        java.util.Arrays.sort(val);
        java.util.Arrays.sort(tr);
        return new TaskData.Split[]{s.select(tr), s.select(val)};
    }

    /** All MNIST records of a file, label = digit. */
    private record Split(float[] x, int[] y) {
        TaskData.Split restrict(List<Integer> labels) {
            int n = 0;
            for (int l : y) if (labels.contains(l)) n++;
            float[] v = new float[n * 784];
            int[] lab = new int[n];
            int k = 0;
            for (int i = 0; i < y.length; i++) {
                int local = labels.indexOf(y[i]);
                if (local < 0) continue;
                System.arraycopy(x, i * 784, v, k * 784, 784);
                lab[k++] = local;
            }
            return new TaskData.Split(v, 784, null, lab);
        }
    }

    private static Split readMnist(Path file) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file + " (build it with sample-data/continual/build_split_mnist.py)");
        List<float[]> xs = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
            byte[] rec = new byte[785];
            while (true) {
                try {
                    in.readFully(rec);
                } catch (EOFException e) {
                    break;
                }
                float[] px = new float[784];
                for (int i = 0; i < 784; i++) px[i] = (rec[i + 1] & 0xff) / 255f;
                xs.add(px);
                ys.add(rec[0] & 0xff);
            }
        }
        float[] x = new float[xs.size() * 784];
        for (int i = 0; i < xs.size(); i++) System.arraycopy(xs.get(i), 0, x, i * 784, 784);
        return new Split(x, ys.stream().mapToInt(Integer::intValue).toArray());
    }

    private record Rows(TaskData.Split split) {}

    private static Rows readRows(Path file, String format, Map<String, Integer> classes, boolean fixedClasses,
                                 Function<String, int[]> tokenizer) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
        List<float[]> vectors = new ArrayList<>();
        List<int[]> tokens = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) continue;
                String label, textValue = null;
                float[] x = null;
                if (format.equals("tsv")) {
                    int tab = line.indexOf('\t');
                    if (tab < 0) throw new IOException(file + " line " + lineNo + ": expected label<TAB>text");
                    label = line.substring(0, tab);
                    textValue = line.substring(tab + 1);
                } else {
                    JsonNode o = JSON.readTree(line);
                    if (!o.has("label")) throw new IOException(file + " line " + lineNo + ": the record has no \"label\" field");
                    label = o.get("label").asText();
                    if (o.has("x")) {
                        x = new float[o.get("x").size()];
                        for (int i = 0; i < x.length; i++) x[i] = (float) o.get("x").get(i).asDouble();
                    } else if (o.has("text")) textValue = o.get("text").asText();
                    else throw new IOException(file + " line " + lineNo + ": the record needs an \"x\" array or a \"text\" field");
                }
                Integer c = classes.get(label);
                if (c == null) {
                    if (fixedClasses) throw new IOException(file + " line " + lineNo + ": label '" + label
                            + "' is not one of the task's labels " + classes.keySet());
                    c = classes.size();
                    classes.put(label, c);
                }
                labels.add(c);
                if (x != null) {
                    if (!vectors.isEmpty() && vectors.get(0).length != x.length)
                        throw new IOException(file + " line " + lineNo + ": \"x\" has " + x.length + " values, earlier rows " + vectors.get(0).length);
                    vectors.add(x);
                } else {
                    if (tokenizer == null) throw new IOException(file + " holds text; load the sequence with an encoder's tokenizer");
                    tokens.add(tokenizer.apply(textValue));
                }
            }
        }
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        if (!vectors.isEmpty() && !tokens.isEmpty()) throw new IOException(file + " mixes \"x\" and \"text\" records");
        if (!vectors.isEmpty()) {
            int dim = vectors.get(0).length;
            float[] flat = new float[vectors.size() * dim];
            for (int i = 0; i < vectors.size(); i++) System.arraycopy(vectors.get(i), 0, flat, i * dim, dim);
            return new Rows(new TaskData.Split(flat, dim, null, y));
        }
        return new Rows(new TaskData.Split(null, 0, tokens, y));
    }
}
