package org.layerwise.probeedit.method.covariance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.layerwise.engine.io.AtomicFiles;
import org.layerwise.engine.jobs.JobCancelledException;
import org.layerwise.engine.model.GradMode;
import org.layerwise.engine.model.Taps;
import org.layerwise.engine.model.TransformerModel;
import org.layerwise.engine.tokenizer.Encoding;
import org.layerwise.probeedit.method.edit.Covariance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * E[kkᵀ] of the keys entering each edited layer's MLP output projection, over every token of a local text
 * corpus (one text per line): float32 forward passes, sums accumulated in float64. Cached per model and
 * layer under {@code <data>/covariance/<model key>/}: {@code layer-<l>.npy} holds the sum, {@code state.json}
 * the count and the lines done, written every few batches, so a killed run resumes where it stopped.
 * MEMIT's {@code .npz} statistics ({@code mom2.mom2}, {@code mom2.count}) can be imported instead.
 */
public final class CovarianceStats implements Covariance {
    /** Reports progress; fraction in [0, 1]. */
    @FunctionalInterface
    public interface Progress {
        void report(double fraction, String message);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LINES_PER_BATCH = 32;
    private static final int BATCHES_PER_SAVE = 20;

    private final Path dir;

    public CovarianceStats(Path dataDir, TransformerModel model) {
        this(dataDir.resolve("covariance").resolve(modelKey(model)));
    }

    private CovarianceStats(Path dir) {
        this.dir = dir;
    }

    /** Statistics kept in {@code dir} itself (e.g. imported .npz files for a model loaded elsewhere). */
    public static CovarianceStats inFolder(Path dir) {
        return new CovarianceStats(dir);
    }

    public Path directory() { return dir; }

    /**
     * Folder name: the model's name and a hash of its spec, its folder and its weight files' sizes and times — a
     * model retrained into the same folder must not reuse the old model's statistics.
     */
    public static String modelKey(TransformerModel model) {
        String id = model.spec().describe() + "|" + (model.directory() == null ? "" : model.directory().toAbsolutePath().normalize())
                + "|" + weightFiles(model.directory());
        return model.name().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + Integer.toHexString(id.hashCode());
    }

    private static String weightFiles(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) return "";
        try (var files = Files.list(dir)) {
            StringBuilder sb = new StringBuilder();
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList()) {
                sb.append(f.getFileName()).append(':').append(Files.size(f)).append(':')
                        .append(Files.getLastModifiedTime(f).toMillis()).append(';');
            }
            return sb.toString();
        } catch (IOException e) {
            return "";
        }
    }

    public boolean has(int layer) {
        return Files.isRegularFile(sumFile(layer)) && state(layer).path("complete").asBoolean(false);
    }

    /** E[kkᵀ] float64 [d_ff, d_ff]; fails when it was neither computed nor imported. */
    @Override
    public NDArray secondMoment(NDManager m, int layer) {
        if (!has(layer)) throw new IllegalStateException("no covariance statistics for layer " + layer + " in " + dir
                + "; compute them (CovarianceStats.compute, or the Edit tab's first edit does) or import MEMIT's .npz");
        try (InputStream in = Files.newInputStream(sumFile(layer))) {
            NpyArray a = NpyArray.read(in, sumFile(layer).toString());
            double count = state(layer).path("count").asDouble();
            return m.create(a.data(), new Shape(a.shape())).div(count);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + sumFile(layer) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Computes (or finishes) the statistics of {@code layers} over the first {@code maxLines} lines of
     * {@code corpus}. Layers already complete are skipped; a partial run resumes from its saved line.
     */
    public void compute(TransformerModel model, Path corpus, int[] layers, int maxLines, Progress progress, BooleanSupplier cancelled)
            throws IOException {
        List<Integer> todo = new ArrayList<>();
        for (int l : layers) if (!has(l)) todo.add(l);
        if (todo.isEmpty()) return;
        List<String> lines = Files.readAllLines(corpus, StandardCharsets.UTF_8).stream().filter(s -> !s.isBlank()).limit(maxLines).toList();
        if (lines.isEmpty()) throw new IOException(corpus + " has no text lines to measure the keys on");
        Files.createDirectories(dir);
        int dff = model.spec().intermediateSize();
        // one pass over the corpus feeds every layer still to do; each resumes from its own saved line
        int n = todo.size();
        double[] count = new double[n];
        int[] from = new int[n];
        int start = lines.size();
        for (int i = 0; i < n; i++) {
            ObjectNode st = state(todo.get(i));
            from[i] = Files.isRegularFile(sumFile(todo.get(i))) ? st.path("lines_done").asInt(0) : 0;
            count[i] = from[i] > 0 ? st.path("count").asDouble(0) : 0;
            start = Math.min(start, from[i]);
        }
        try (NDManager m = NDManager.newBaseManager(model.djlDevice())) {
            NDArray[] sum = new NDArray[n];
            for (int i = 0; i < n; i++)
                sum[i] = from[i] > 0 ? load(m, todo.get(i)) : m.zeros(new Shape(dff, dff), DataType.FLOAT64);
            int batches = 0;
            for (int at = start; at < lines.size(); at += LINES_PER_BATCH) {
                if (cancelled.getAsBoolean()) {
                    for (int i = 0; i < n; i++) save(todo.get(i), sum[i], count[i], Math.max(at, from[i]), false, corpus);
                    throw new JobCancelledException();
                }
                List<String> chunk = lines.subList(at, Math.min(lines.size(), at + LINES_PER_BATCH));
                try (NDManager s = m.newSubManager(); GradMode off = GradMode.off()) {
                    NDArray[] k = keys(s, model, chunk, todo.stream().mapToInt(Integer::intValue).toArray());
                    for (int i = 0; i < n; i++) {
                        if (at < from[i]) continue;
                        NDArray k64 = k[i].toType(DataType.FLOAT64, false);
                        sum[i].addi(k64.transpose().matMul(k64));
                        count[i] += k64.getShape().get(0);
                    }
                }
                int done = Math.min(lines.size(), at + LINES_PER_BATCH);
                progress.report((double) done / lines.size(), "keys of layers " + todo + ": " + done + "/" + lines.size() + " texts");
                if (++batches % BATCHES_PER_SAVE == 0)
                    for (int i = 0; i < n; i++) save(todo.get(i), sum[i], count[i], Math.max(done, from[i]), false, corpus);
            }
            for (int i = 0; i < n; i++) save(todo.get(i), sum[i], count[i], lines.size(), true, corpus);
        }
    }

    /** Imports MEMIT's statistics file (np.savez with mom2.mom2 = E[kkᵀ] and mom2.count). */
    public void importNpz(Path npz, int layer) throws IOException {
        Map<String, NpyArray> members = NpyArray.readNpz(npz);
        NpyArray mom2 = members.get("mom2.mom2"), count = members.get("mom2.count");
        if (mom2 == null || count == null)
            throw new IOException(npz + " lacks mom2.mom2 or mom2.count (members: " + members.keySet() + "); is it a MEMIT stats file?");
        if (mom2.shape().length != 2 || mom2.shape()[0] != mom2.shape()[1])
            throw new IOException(npz + ": mom2.mom2 must be square, got " + java.util.Arrays.toString(mom2.shape()));
        double n = count.data()[0];
        double[] sum = mom2.data().clone();
        for (int i = 0; i < sum.length; i++) sum[i] *= n;    // stored here as a sum so resumed runs add to it
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(sumFile(layer))) {
            new NpyArray(mom2.shape(), sum).write(out);
        }
        ObjectNode st = JSON.createObjectNode().put("count", n).put("lines_done", 0).put("complete", true).put("source", npz.toString());
        AtomicFiles.writeString(stateFile(layer), st.toString());
    }

    /** Keys [N, d_ff] of every real token of {@code texts}, one array per layer. */
    static NDArray[] keys(NDManager s, TransformerModel model, List<String> texts, int[] layers) {
        List<int[]> ids = new ArrayList<>();
        int longest = 0;
        for (String t : texts) {
            Encoding e = model.encode(t);
            int[] x = e.ids().length > model.spec().maxPositions() ? java.util.Arrays.copyOf(e.ids(), model.spec().maxPositions()) : e.ids();
            ids.add(x);
            longest = Math.max(longest, x.length);
        }
        long[] flat = new long[texts.size() * longest];
        long[] mask = new long[flat.length];
        for (int b = 0; b < ids.size(); b++) for (int i = 0; i < ids.get(b).length; i++) { flat[b * longest + i] = ids.get(b)[i]; mask[b * longest + i] = 1; }
        Taps taps = Taps.create();
        for (int l : layers) taps.record(Taps.mlpIn(l));
        NDArray maskArr = s.create(mask, new Shape(texts.size(), longest));
        model.forward(s, s.create(flat, new Shape(texts.size(), longest)), maskArr, taps);
        NDArray[] out = new NDArray[layers.length];
        for (int i = 0; i < layers.length; i++) {
            NDArray k = taps.recorded(Taps.mlpIn(layers[i])).toType(DataType.FLOAT32, false);
            NDArray flatK = k.reshape(-1, k.getShape().get(2));
            NDArray keep = maskArr.reshape(-1).toDevice(flatK.getDevice(), false).eq(1);
            out[i] = flatK.get(keep);
        }
        return out;
    }

    private NDArray load(NDManager m, int layer) throws IOException {
        try (InputStream in = Files.newInputStream(sumFile(layer))) {
            NpyArray a = NpyArray.read(in, sumFile(layer).toString());
            return m.create(a.data(), new Shape(a.shape()));
        }
    }

    private void save(int layer, NDArray sum, double count, int linesDone, boolean complete, Path corpus) throws IOException {
        Path tmp = sumFile(layer).resolveSibling(sumFile(layer).getFileName() + ".tmp");
        long d = sum.getShape().get(0);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            new NpyArray(new long[] {d, d}, sum.toDoubleArray()).write(out);
        }
        Files.move(tmp, sumFile(layer), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        ObjectNode st = JSON.createObjectNode().put("count", count).put("lines_done", linesDone).put("complete", complete)
                .put("source", corpus.toAbsolutePath().toString());
        AtomicFiles.writeString(stateFile(layer), st.toString());
    }

    private ObjectNode state(int layer) {
        try {
            return Files.isRegularFile(stateFile(layer)) ? (ObjectNode) JSON.readTree(stateFile(layer).toFile()) : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private Path sumFile(int layer) { return dir.resolve("layer-" + layer + ".npy"); }

    private Path stateFile(int layer) { return dir.resolve("layer-" + layer + ".json"); }
}
