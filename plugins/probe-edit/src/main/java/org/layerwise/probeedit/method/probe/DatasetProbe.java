package org.layerwise.probeedit.method.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.layerwise.engine.jobs.JobContext;
import org.layerwise.engine.model.TransformerModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contrast probe over many facts (the paper's figure): each fact is probed alone, and every curve (rank and
 * probability of the original and the target answer, summed probability of each token set) at the last subject
 * token and at the last token is averaged over the facts with a 95% band (mean ± 1.96·sem).
 */
public final class DatasetProbe {
    /** The two positions of the paper's figure. */
    public enum Position {
        SUBJECT_LAST("last subject token"), LAST("last token");

        private final String label;

        Position(String label) { this.label = label; }

        public String label() { return label; }

        public int in(ProbeResult r) { return this == SUBJECT_LAST ? r.subjectLast() : r.last(); }
    }

    public static final String ORIGINAL_RANK = "original rank";
    public static final String TARGET_RANK = "target rank";
    public static final String ORIGINAL_PROB = "original prob";
    public static final String TARGET_PROB = "target prob";

    /**
     * @param curves  position → curve name ({@link #ORIGINAL_RANK} ..., "set: NAME") → band
     * @param skipped facts that could not be probed, with the reason (e.g. the subject is not in the prompt)
     */
    public record Result(ProbeOptions options, int layers, int probed, Map<Position, Map<String, Band>> curves,
                         List<String> skipped) {
        public Band band(Position position, String curve) {
            Band b = curves.get(position).get(curve);
            if (b == null) throw new IllegalArgumentException("No curve '" + curve + "'; have " + curves.get(position).keySet());
            return b;
        }
    }

    private DatasetProbe() {}

    /**
     * Probes every request; progress and cancellation through {@code ctx} (may be null). A fact that cannot be
     * probed is skipped and listed in the result, so one bad record does not lose a long run.
     */
    public static Result run(TransformerModel model, List<ProbeRequest> requests, ProbeOptions options, JobContext ctx) {
        if (requests.isEmpty()) throw new IllegalArgumentException("No facts to probe");
        Map<Position, Map<String, List<float[]>>> values = new LinkedHashMap<>();
        for (Position p : Position.values()) values.put(p, new LinkedHashMap<>());
        List<String> skipped = new ArrayList<>();
        int layers = model.spec().layers();
        for (int i = 0; i < requests.size(); i++) {
            if (ctx != null) {
                ctx.checkCancelled();
                if (i % 10 == 0) ctx.progress((double) i / requests.size(), "fact " + (i + 1) + " of " + requests.size());
            }
            ProbeRequest req = requests.get(i);
            ProbeResult r;
            try {
                r = ContrastProbe.run(model, req, options);
            } catch (IllegalArgumentException e) {
                skipped.add("fact " + i + " (" + req.subject() + "): " + e.getMessage());
                continue;
            }
            for (Position p : Position.values()) {
                int at = p.in(r);
                Map<String, List<float[]>> v = values.get(p);
                add(v, ORIGINAL_RANK, r.original().rankAt(at));
                add(v, TARGET_RANK, r.target().rankAt(at));
                add(v, ORIGINAL_PROB, r.original().probAt(at));
                add(v, TARGET_PROB, r.target().probAt(at));
                for (String set : r.sets().keySet()) add(v, "set: " + set, r.setProbAt(set, at));
            }
        }
        int probed = requests.size() - skipped.size();
        if (probed == 0) throw new IllegalArgumentException("No fact could be probed; first problem: " + skipped.get(0));
        Map<Position, Map<String, Band>> curves = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager(model.djlDevice())) {
            for (Position p : Position.values()) {
                Map<String, Band> bands = new LinkedHashMap<>();
                values.get(p).forEach((name, rows) -> bands.put(name, band(m, rows, layers)));
                curves.put(p, bands);
            }
        }
        if (ctx != null) ctx.progress(1, probed + " facts probed" + (skipped.isEmpty() ? "" : ", " + skipped.size() + " skipped"));
        return new Result(options, layers, probed, curves, List.copyOf(skipped));
    }

    private static void add(Map<String, List<float[]>> v, String name, double[] curve) {
        float[] f = new float[curve.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) curve[i];
        v.computeIfAbsent(name, k -> new ArrayList<>()).add(f);
    }

    /** Mean and mean ± 1.96·sem over the rows (facts), per layer; sem uses the sample standard deviation. */
    static Band band(NDManager parent, List<float[]> rows, int layers) {
        try (NDManager m = parent.newSubManager()) {
            int n = rows.size();
            float[] flat = new float[n * layers];
            for (int i = 0; i < n; i++) System.arraycopy(rows.get(i), 0, flat, i * layers, layers);
            NDArray x = m.create(flat, new Shape(n, layers)).toType(DataType.FLOAT64, false);
            NDArray mean = x.mean(new int[] {0});
            NDArray half = n < 2 ? mean.zerosLike()
                    : x.sub(mean).square().sum(new int[] {0}).div(n - 1).sqrt().div(Math.sqrt(n)).mul(1.96);
            return new Band(mean.toDoubleArray(), mean.sub(half).toDoubleArray(), mean.add(half).toDoubleArray(), n);
        }
    }
}
