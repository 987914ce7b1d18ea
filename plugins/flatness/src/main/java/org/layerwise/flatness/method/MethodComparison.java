package org.layerwise.flatness.method;

import org.layerwise.engine.jobs.Job;
import org.layerwise.engine.jobs.JobContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs several methods over the same sequence and seeds and summarises the final average accuracy, forgetting
 * and intransigence as mean ± standard deviation over seeds. The multi-task bound runs first (per seed), so
 * intransigence is measured against the same seed's a*. Metrics go to the run as {@code <method>/seed<s>/…} and,
 * per finished (method, seed), {@code <method>/avg_acc} etc. at step s.
 */
public final class MethodComparison {
    /** One method's results: per seed, and the matrices. */
    public record Row(String method, double[] averageAccuracy, double[] forgetting, double[] intransigence, double[] seconds,
                      List<AccuracyMatrix> matrices) {
        public int seeds() { return averageAccuracy.length; }
    }

    public record Result(String sequence, List<Row> rows, int seeds) {
        /** A markdown table: method, average accuracy, forgetting, intransigence (mean ± std, in %), seconds per run. */
        public String markdown() {
            StringBuilder b = new StringBuilder("| method | avg. accuracy (%) | forgetting (%) | intransigence (%) | s / run |\n|---|---|---|---|---|\n");
            for (Row r : rows)
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.1f |%n", r.method(), pm(r.averageAccuracy(), 100),
                        r.method().equals("multitask") ? "–" : pm(r.forgetting(), 100),
                        r.method().equals("multitask") ? "–" : pm(r.intransigence(), 100), mean(r.seconds())));
            return b.toString();
        }
    }

    /** What to run: methods (multitask included or not), seeds 0..seeds-1 offset by {@code firstSeed}, overrides for all. */
    public record Request(TaskSequence sequence, List<String> methods, int seeds, long firstSeed, List<String> overrides) {}

    private MethodComparison() {}

    /** The configuration of {@code method} on {@code sequence}: preset < training block < method_overrides < overrides. */
    public static ContinualConfig configFor(TaskSequence sequence, String method, List<String> overrides) {
        ContinualConfig c = ContinualConfig.preset(method);
        if (sequence.training() != null && sequence.training().isObject()) c = c.with(sequence.training(), "the sequence's \"training\" block");
        if (sequence.methodOverrides() != null && sequence.methodOverrides().has(method))
            c = c.with(sequence.methodOverrides().get(method), "the sequence's method_overrides." + method);
        return c.withOverrides(overrides).validated();
    }

    public static Job<Result> job(Request request, Consumer<Row> onRow) {
        return ctx -> run(request, ctx, onRow);
    }

    public static Result run(Request r, JobContext ctx, Consumer<Row> onRow) {
        List<String> order = new ArrayList<>();
        if (r.methods().contains("multitask")) order.add("multitask");
        for (String m : r.methods()) if (!m.equals("multitask")) order.add(m);
        for (String m : order) configFor(r.sequence(), m, r.overrides());       // fail fast on a bad setting
        int tasks = r.sequence().tasks().size();
        Map<Long, double[]> reference = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        int total = order.size() * r.seeds(), done = 0;
        for (String m : order) {
            ContinualConfig config = configFor(r.sequence(), m, r.overrides());
            double[] acc = new double[r.seeds()], fgt = new double[r.seeds()], intr = new double[r.seeds()], sec = new double[r.seeds()];
            List<AccuracyMatrix> matrices = new ArrayList<>();
            for (int s = 0; s < r.seeds(); s++) {
                long seed = r.firstSeed() + s;
                JobContext inner = ctx == null ? null : new PrefixedContext(ctx, m + "/seed" + seed + "/", (double) done / total, 1.0 / total);
                long start = System.nanoTime();
                AccuracyMatrix a;
                try (ContinualLearner learner = new ContinualLearner(r.sequence(), config, seed)) {
                    a = learner.run(inner, null);
                }
                sec[s] = (System.nanoTime() - start) / 1e9;
                int k = tasks - 1;
                if (m.equals("multitask")) reference.put(seed, a.values()[k]);
                acc[s] = a.averageAccuracy(k);
                fgt[s] = m.equals("multitask") ? Double.NaN : a.forgetting(k);
                double[] ref = reference.get(seed);
                intr[s] = ref == null || m.equals("multitask") ? Double.NaN : a.meanIntransigence(k, ref);
                matrices.add(a);
                done++;
                if (ctx != null) {
                    ctx.metric(m + "/avg_acc", seed, acc[s]);
                    if (!Double.isNaN(fgt[s])) ctx.metric(m + "/forgetting", seed, fgt[s]);
                    if (!Double.isNaN(intr[s])) ctx.metric(m + "/intransigence", seed, intr[s]);
                    ctx.log(String.format(Locale.ROOT, "%s seed %d: average accuracy %.4f, forgetting %.4f (%.1f s)", m, seed, acc[s], fgt[s], sec[s]));
                }
            }
            Row row = new Row(m, acc, fgt, intr, sec, matrices);
            rows.add(row);
            if (onRow != null) onRow.accept(row);
        }
        return new Result(r.sequence().name(), rows, r.seeds());
    }

    public static double mean(double[] x) {
        double s = 0;
        int n = 0;
        for (double v : x) if (!Double.isNaN(v)) { s += v; n++; }
        return n == 0 ? Double.NaN : s / n;
    }

    /** Sample standard deviation (n − 1). */
    public static double std(double[] x) {
        double m = mean(x), s = 0;
        int n = 0;
        for (double v : x) if (!Double.isNaN(v)) { s += (v - m) * (v - m); n++; }
        return n < 2 ? Double.NaN : Math.sqrt(s / (n - 1));
    }

    static String pm(double[] x, double scale) {
        double m = mean(x), s = std(x);
        if (Double.isNaN(m)) return "–";
        return Double.isNaN(s) ? String.format(Locale.ROOT, "%.1f", m * scale) : String.format(Locale.ROOT, "%.1f ± %.1f", m * scale, s * scale);
    }
}
